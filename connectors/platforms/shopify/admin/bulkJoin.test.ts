import { describe, expect, it } from 'vitest';
import { BulkJoinError, joinBulkJsonl, type JoinedObject } from './bulkJoin.ts';
import { BULK_ORDER_SHAPE } from './documents.ts';

const order = (n: number) => ({ id: `gid://shopify/Order/${n}`, name: `#${n}`, refunds: n % 2 ? [{ id: `gid://shopify/Refund/${n}0`, note: 'Größe' }] : [] });
const line = (n: number, k: number) => ({ __typename: 'LineItem', id: `gid://shopify/LineItem/${n}${k}`, title: 'Tee 抹茶', __parentId: `gid://shopify/Order/${n}` });
const refundLine = (n: number) => ({ __typename: 'RefundLineItem', id: `gid://shopify/RefundLineItem/${n}1`, quantity: 1, __parentId: `gid://shopify/Refund/${n}0` });

function file(orders: number): string {
  const rows: unknown[] = [];
  for (let n = 1; n <= orders; n++) {
    rows.push(order(n));
    for (let k = 0; k < n % 4; k++) rows.push(line(n, k));
    if (n % 2) rows.push(refundLine(n));
  }
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

/** The bytes in chunks of the given sizes (cycled): lines and multi-byte characters split anywhere. */
async function* chunks(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function collect(source: AsyncIterable<Uint8Array>, opts = {}): Promise<JoinedObject[]> {
  const out: JoinedObject[] = [];
  for await (const j of joinBulkJsonl(source, BULK_ORDER_SHAPE, opts)) out.push(j);
  return out;
}

describe('bulk JSONL joiner', () => {
  it('joins children under their parent (refund lines under the refund inside the order), whatever the chunking', async () => {
    const bytes = Buffer.from(file(9));
    const whole = await collect(chunks(bytes, [bytes.length]));
    for (const sizes of [[bytes.length], [1], [7, 3, 11], [64], [200, 1, 5]]) {
      const joined = await collect(chunks(bytes, sizes));
      // every object's resume position the same however the bytes were cut (a line finished in a later chunk included)
      expect(joined.map((j) => j.next)).toEqual(whole.map((j) => j.next));
      expect(joined.map((j) => JSON.stringify(j.object))).toEqual(whole.map((j) => JSON.stringify(j.object)));
      expect(joined.map((j) => (j.object as { id: string }).id)).toEqual(Array.from({ length: 9 }, (_, i) => `gid://shopify/Order/${i + 1}`));
      const third = joined[2]!.object as any;
      expect(third.lineItems.nodes.map((l: { id: string }) => l.id)).toEqual(['gid://shopify/LineItem/30', 'gid://shopify/LineItem/31', 'gid://shopify/LineItem/32']);
      expect(third.lineItems.nodes[0].title).toBe('Tee 抹茶');
      expect(third.lineItems.nodes[0].__parentId).toBeUndefined();
      expect(third.refunds[0].refundLineItems.nodes).toEqual([{ __typename: 'RefundLineItem', id: 'gid://shopify/RefundLineItem/31', quantity: 1 }]);
      expect(third.refunds[0].transactions).toEqual({ nodes: [] });
      // an order with no line has its connection, empty
      expect((joined[3]!.object as any).lineItems).toEqual({ nodes: [] });
      expect(joined[8]!.next).toEqual({ line: bytes.toString().trimEnd().split('\n').length, byte: bytes.length });
    }
  });

  it('resumes from the position an object came with, by byte (ranged download) or by skipping bytes', async () => {
    const bytes = Buffer.from(file(9));
    const all = await collect(chunks(bytes, [5]));
    const at = all[3]!.next;
    const ranged = await collect(chunks(bytes.subarray(at.byte), [13]), { from: at });
    expect(ranged.map((j) => j.object)).toEqual(all.slice(4).map((j) => j.object));
    expect(ranged.map((j) => j.next)).toEqual(all.slice(4).map((j) => j.next));
    const skipped = await collect(chunks(bytes, [17]), { from: at, skipBytes: at.byte });
    expect(skipped.map((j) => j.next)).toEqual(all.slice(4).map((j) => j.next));
  });

  it('refuses an ungrouped file (a child whose parent is not the current object) and a child of no known connection, naming the line', async () => {
    const ungrouped = [order(1), order(2), line(1, 0)].map((r) => JSON.stringify(r)).join('\n');
    await expect(collect(chunks(Buffer.from(ungrouped), [100]))).rejects.toThrow(/line 3: __parentId gid:\/\/shopify\/Order\/1 .*not grouped/);
    const stranger = [order(2), { __typename: 'Metafield', id: 'gid://shopify/Metafield/1', __parentId: 'gid://shopify/Order/2' }].map((r) => JSON.stringify(r)).join('\n');
    await expect(collect(chunks(Buffer.from(stranger), [100]))).rejects.toThrow(BulkJoinError);
    await expect(collect(chunks(Buffer.from('{"id":"gid://shopify/Order/1"}\n{oops\n'), [100]))).rejects.toThrow(/line 2: not JSON/);
  });
});
