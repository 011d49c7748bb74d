import { describe, expect, it } from 'vitest';
import { MAX_STORED_ERROR, storedError } from './storedError.ts';

const KEY = 'sk-live-ÅÄÖ-7f3a9c2e';

describe('storedError', () => {
  it('redacts the key a store echoed back: plain, base64, percent-encoded, and inside a Basic credential with any user', () => {
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`orderbridge:${KEY}`)));
    const echoed = JSON.stringify({
      headers: { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, apikey: encodeURIComponent(KEY), basic: `Basic ${basic}` },
      token: btoa(String.fromCharCode(...new TextEncoder().encode(KEY))),
    });
    const kept = storedError(`Engage 401: ${echoed}`, KEY);
    expect(kept).not.toContain(KEY);
    expect(kept).not.toContain(basic);
    expect(kept).not.toContain(encodeURIComponent(KEY));
    expect(kept.match(/\[redacted\]/g)).toHaveLength(5);
    expect(kept).toContain('Engage 401: ');
  });

  it('leaves other Basic credentials and text alone, and does not redact keys too short to be one', () => {
    const other = `Basic ${btoa('someone:else-entirely')}`;
    expect(storedError(`refused: ${other}`, KEY)).toBe(`refused: ${other}`);
    expect(storedError('the key k was wrong', 'k')).toBe('the key k was wrong');
  });

  it('bounds the text kept', () => {
    const kept = storedError('x'.repeat(200_000), KEY);
    expect(kept.length).toBe(MAX_STORED_ERROR + 1);
    expect(kept.endsWith('…')).toBe(true);
  });
});
