import { describe, expect, it } from 'vitest';
import { jsonString } from '../core/delivery/jsonText.ts';
import { packJsonText } from './preparedBytes.ts';

describe('packJsonText', () => {
  it('puts every json text, at the top or one object deep, into one buffer as views, and leaves the rest', () => {
    const results: unknown[] = [
      { kind: 'send', json: '{"city":"Malmö"}' },
      { kind: 'status', body: { orderId: '1' }, fallback: { kind: 'upsert', json: '{"n":"😀"}', id: '1' } },
      { kind: 'skip', reason: 'test order' },
      null,
    ];
    const buffer = packJsonText(results);
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    const first = (results[0] as { json: Uint8Array }).json;
    const nested = (results[1] as { fallback: { json: Uint8Array } }).fallback.json;
    expect(first.buffer).toBe(buffer);
    expect(nested.buffer).toBe(buffer);
    expect(jsonString(first as Uint8Array<ArrayBuffer>)).toBe('{"city":"Malmö"}');
    expect(jsonString(nested as Uint8Array<ArrayBuffer>)).toBe('{"n":"😀"}');
    expect(buffer!.byteLength).toBe(Buffer.byteLength('{"city":"Malmö"}') + Buffer.byteLength('{"n":"😀"}'));
    expect(results[1]).toMatchObject({ body: { orderId: '1' } });
    expect(results[2]).toEqual({ kind: 'skip', reason: 'test order' });
  });

  it('returns null when there is nothing to pack', () => {
    expect(packJsonText([{ kind: 'none' }, { action: 'delete', externalOrderId: '1' }])).toBeNull();
  });
});
