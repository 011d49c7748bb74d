// Reads a bulk operation's JSONL as it streams in — line by line, never the whole file — and joins each
// parent with its child lines (`__parentId`) into one object, connections as `{ nodes: [...] }`, the same shape
// a paged query gives. Needs grouped output (groupObjects: true): children directly after their parent, so a
// parent is complete when the next top-level line begins. Each object comes with the position just after it
// (line and byte offset), from which a later read can resume.

export interface JsonlPosition {
  /** Lines before this point (0-based index of the next line). */
  line: number;
  /** Bytes before this point. */
  byte: number;
}

/** Per parent type, its connections: field name → the child type whose lines belong there. */
export type BulkShape = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface JoinedObject {
  object: Record<string, unknown>;
  /** Where the next top-level object begins: resume from here to read what follows. */
  next: JsonlPosition;
}

export class BulkJoinError extends Error {
  override readonly name = 'BulkJoinError';
}

const NEWLINE = 0x0a;

/** Splits a byte stream into lines, with the byte offset each starts at. */
async function* lines(source: AsyncIterable<Uint8Array>, start: JsonlPosition, skipBytes: number): AsyncGenerator<{ text: string; line: number; byte: number; end: number }> {
  let pending: Buffer = Buffer.alloc(0);
  let skip = skipBytes;
  let line = start.line;
  let byte = start.byte;
  for await (const raw of source) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (skip > 0) {
      const dropped = Math.min(skip, chunk.length);
      chunk = chunk.subarray(dropped);
      skip -= dropped;
      if (chunk.length === 0) continue;
    }
    const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let from = 0;
    for (let nl = buf.indexOf(NEWLINE, from); nl !== -1; nl = buf.indexOf(NEWLINE, from)) {
      yield { text: buf.toString('utf8', from, nl), line, byte, end: byte + (nl - from) + 1 };
      byte += nl - from + 1;
      line += 1;
      from = nl + 1;
    }
    pending = Buffer.from(buf.subarray(from)); // a copy: the chunk's memory is not kept alive by a partial line
  }
  if (pending.length > 0) yield { text: pending.toString('utf8'), line, byte, end: byte + pending.length };
}

/** The type of an object of the file: its __typename, else the type in its gid. */
function typeOf(o: Record<string, unknown>): string | null {
  if (typeof o.__typename === 'string') return o.__typename;
  const m = typeof o.id === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(o.id) : null;
  return m ? m[1]! : null;
}

/**
 * Joined top-level objects of a bulk JSONL stream. `from` is where the stream starts in the file (after a
 * ranged download); `skipBytes` discards that many bytes first (a server that ignored the Range header).
 */
export async function* joinBulkJsonl(
  source: AsyncIterable<Uint8Array>,
  shape: BulkShape,
  opts: { from?: JsonlPosition; skipBytes?: number } = {},
): AsyncGenerator<JoinedObject> {
  let current: { root: Record<string, unknown>; index: Map<string, Record<string, unknown>>; line: number } | null = null;
  const adopt = (o: Record<string, unknown>, index: Map<string, Record<string, unknown>>) => {
    // every object with an id may own connections: index it and give it its (possibly empty) connections
    const stack: unknown[] = [o];
    while (stack.length > 0) {
      const v = stack.pop();
      if (Array.isArray(v)) stack.push(...v);
      else if (v !== null && typeof v === 'object') {
        const obj = v as Record<string, unknown>;
        if (typeof obj.id === 'string') {
          index.set(obj.id, obj);
          for (const field of Object.keys(shape[typeOf(obj) ?? ''] ?? {})) obj[field] ??= { nodes: [] };
        }
        for (const child of Object.values(obj)) if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  };

  let end: JsonlPosition = opts.from ?? { line: 0, byte: 0 };
  for await (const l of lines(source, end, opts.skipBytes ?? 0)) {
    end = { line: l.line + 1, byte: l.end };
    if (l.text.trim() === '') continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(l.text) as Record<string, unknown>;
    } catch (error) {
      throw new BulkJoinError(`line ${l.line + 1}: not JSON (${(error as Error).message})`);
    }
    const parentId = row.__parentId;
    if (parentId === undefined) {
      if (current) yield { object: current.root, next: { line: l.line, byte: l.byte } };
      current = { root: row, index: new Map(), line: l.line };
      adopt(row, current.index);
      continue;
    }
    if (!current) throw new BulkJoinError(`line ${l.line + 1}: a child line (__parentId ${String(parentId)}) before any parent line`);
    const parent = current.index.get(String(parentId));
    if (!parent) {
      throw new BulkJoinError(`line ${l.line + 1}: __parentId ${String(parentId)} is not the object that began on line ${current.line + 1} nor one of its children: `
        + 'the file is not grouped (run the bulk query with groupObjects: true)');
    }
    delete row.__parentId;
    const childType = typeOf(row);
    const parentType = typeOf(parent) ?? '';
    const field = Object.entries(shape[parentType] ?? {}).find(([, t]) => t === childType)?.[0];
    if (!field) throw new BulkJoinError(`line ${l.line + 1}: a ${childType ?? 'line without __typename or id'} under a ${parentType}: no connection of the query holds it`);
    (parent[field] as { nodes: unknown[] }).nodes.push(row);
    adopt(row, current.index);
  }
  if (current) yield { object: current.root, next: end };
}
