import { describe, expect, it } from 'vitest';
import { echoBody, keyForms, keyTraces } from '../../../test/support/keyEchoes.ts';
import { REDACTED, withoutSecret } from './secretEcho.ts';
import { MAX_STORED_ERROR, storedError } from './storedError.ts';

// A slash (escaped by PHP's json_encode), a plus and a non-ASCII letter (escaped by JSON, percent and base64 each their way).
const KEY = 'eng/Live+Åk7f3a9c2e-b1d4';

describe('withoutSecret: the key redacted in every form a store may echo it in', () => {
  for (const [name, form] of Object.entries(keyForms(KEY, 'any-user'))) {
    it(`${name}: ${form.slice(0, 40)}…`, () => {
      const echoed = `Engage 400: {"message":"Order upload failed","headers":{"authorization":"${form}"},"path":"\\/v1\\/orders"}`;
      expect(keyTraces(echoed, KEY)).not.toEqual([]); // the check below would see it
      const kept = withoutSecret(echoed, KEY);
      expect(keyTraces(kept, KEY)).toEqual([]);
      expect(kept).toContain(REDACTED);
      expect(kept).toMatch(/^Engage 400: \{"message":"Order upload failed","headers":\{"authorization":".*\[redacted\].*"\},"path":"\\\/v1\\\/orders"\}$/);
    });
  }

  it('mixed forms in one echo (part plain, part \\u-escaped, part percent-encoded)', () => {
    const mixed = `eng\\/Li${encodeURIComponent('ve+')}\\u00c5k7f3a9c2e-b1d4`;
    expect(withoutSecret(`echo: ${mixed}.`, KEY)).toBe(`echo: ${REDACTED}.`);
  });

  it('leaves other text and other credentials alone, and keys too short to be one', () => {
    const other = `refused: Basic ${btoa('someone:else-entirely')} for eng/Live (token ${btoa('not the key at all')})`;
    expect(withoutSecret(other, KEY)).toBe(other);
    expect(withoutSecret('the key k was wrong', 'k')).toBe('the key k was wrong');
    expect(withoutSecret('x'.repeat(100_000), KEY)).toBe('x'.repeat(100_000));
  });
});

describe('storedError', () => {
  it('redacts before it cuts: a key straddling the cut leaves none of its characters', () => {
    for (let padding = MAX_STORED_ERROR - 120; padding < MAX_STORED_ERROR; padding += 7) {
      const kept = storedError(echoBody(KEY, { padding, span: 600 }), KEY);
      expect(kept.length).toBeLessThanOrEqual(MAX_STORED_ERROR + 1);
      expect(keyTraces(kept, KEY)).toEqual([]);
    }
  });

  it('bounds the text kept', () => {
    const kept = storedError('x'.repeat(200_000), KEY);
    expect(kept.length).toBe(MAX_STORED_ERROR + 1);
    expect(kept.endsWith('…')).toBe(true);
  });
});
