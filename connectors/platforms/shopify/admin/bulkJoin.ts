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
const EMPTY = Buffer.alloc(0);
const GID_PREFIX = 'gid://shopify/';

/** The type of an object of the file: its __typename, else the type in its gid. */
function typeOf(o: Record<string, unknown>): string | null {
  if (typeof o.__typename === 'string') return o.__typename;
  if (typeof o.id !== 'string' || !o.id.startsWith(GID_PREFIX)) return null;
  const slash = o.id.indexOf('/', GID_PREFIX.length);
  const type = slash > GID_PREFIX.length ? o.id.slice(GID_PREFIX.length, slash) : '';
  return /^[A-Za-z]+$/.test(type) ? type : null;
}

/** The joining of one file: lines in, each top-level object out once the next one begins. */
class Joiner {
  private current: { root: Record<string, unknown>; index: Map<string, Record<string, unknown>>; line: number } | null = null;

  constructor(private readonly shape: BulkShape) {}

  /** Takes line `line` (starting at byte `byte`); returns the object it completed, if it began a new one. */
  take(text: string, line: number, byte: number): JoinedObject | null {
    if (text.trim() === '') return null;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new BulkJoinError(`line ${line + 1}: not JSON (${(error as Error).message})`);
    }
    const parentId = row.__parentId;
    if (parentId === undefined) {
      const done: JoinedObject | null = this.current ? { object: this.current.root, next: { line, byte } } : null;
      this.current = { root: row, index: new Map(), line };
      this.adopt(row);
      return done;
    }
    const current = this.current;
    if (!current) throw new BulkJoinError(`line ${line + 1}: a child line (__parentId ${String(parentId)}) before any parent line`);
    const parent = current.index.get(String(parentId));
    if (!parent) {
      throw new BulkJoinError(`line ${line + 1}: __parentId ${String(parentId)} is not the object that began on line ${current.line + 1} nor one of its children: `
        + 'the file is not grouped (run the bulk query with groupObjects: true)');
    }
    delete row.__parentId;
    const childType = typeOf(row);
    const parentType = typeOf(parent) ?? '';
    const connections = this.shape[parentType] ?? {};
    let field: string | undefined;
    for (const name in connections) if (connections[name] === childType) field = name;
    if (!field) throw new BulkJoinError(`line ${line + 1}: a ${childType ?? 'line without __typename or id'} under a ${parentType}: no connection of the query holds it`);
    (parent[field] as { nodes: unknown[] }).nodes.push(row);
    this.adopt(row);
    return null;
  }

  /** The object at the end of the file, if any. */
  last(end: JsonlPosition): JoinedObject | null {
    return this.current ? { object: this.current.root, next: end } : null;
  }

  /** Every object with an id may own connections: it is indexed and given its (possibly empty) connections. */
  private adopt(v: unknown): void {
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') this.adopt(item);
      return;
    }
    const obj = v as Record<string, unknown>;
    if (typeof obj.id === 'string') {
      this.current!.index.set(obj.id, obj);
      const connections = this.shape[typeOf(obj) ?? ''];
      if (connections) for (const field in connections) obj[field] ??= { nodes: [] };
    }
    for (const key in obj) {
      const child = obj[key];
      if (child !== null && typeof child === 'object') this.adopt(child);
    }
  }
}

/**
 * Joined top-level objects of a bulk JSONL stream. `from` is where the stream starts in the file (after a
 * ranged download); `skipBytes` discards that many bytes first (a server that ignored the Range header).
 * A chunk's lines are joined in one go (no turn of the generator a line), then its completed objects handed out.
 */
export async function* joinBulkJsonl(
  source: AsyncIterable<Uint8Array>,
  shape: BulkShape,
  opts: { from?: JsonlPosition; skipBytes?: number } = {},
): AsyncGenerator<JoinedObject> {
  const joiner = new Joiner(shape);
  let line = opts.from?.line ?? 0;
  let byte = opts.from?.byte ?? 0;
  let skip = opts.skipBytes ?? 0;
  let pending: Buffer = EMPTY;
  const ready: JoinedObject[] = [];
  /** One line joined: an object it completed is ready; `bytes` counts its newline when it had one. */
  const take = (text: string, bytes: number): void => {
    const done = joiner.take(text, line, byte);
    if (done) ready.push(done);
    byte += bytes;
    line += 1;
  };
  for await (const raw of source) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (skip > 0) {
      const dropped = Math.min(skip, chunk.length);
      chunk = chunk.subarray(dropped);
      skip -= dropped;
      if (chunk.length === 0) continue;
    }
    // The line begun in the last chunk is finished with this chunk's head alone: the chunk itself is not copied.
    const split = pending.length > 0 ? chunk.indexOf(NEWLINE) : -1;
    if (pending.length > 0 && split === -1) {
      pending = Buffer.concat([pending, chunk]);
      continue;
    }
    let from = 0;
    let failed: unknown = null;
    try {
      if (split !== -1) {
        const head = Buffer.concat([pending, chunk.subarray(0, split)]);
        pending = EMPTY;
        take(head.toString('utf8'), head.length + 1);
        from = split + 1;
      }
      for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
        take(chunk.toString('utf8', from, nl), nl - from + 1);
        from = nl + 1;
      }
    } catch (error) {
      failed = error; // the objects completed before the bad line are handed out first
    }
    pending = Buffer.from(chunk.subarray(from)); // a copy: the chunk's memory is not kept alive by a partial line
    while (ready.length > 0) yield ready.shift()!;
    if (failed) throw failed;
  }
  if (pending.length > 0) {
    take(pending.toString('utf8'), pending.length);
    while (ready.length > 0) yield ready.shift()!;
  }
  const last = joiner.last({ line, byte });
  if (last) yield last;
}
