// Open-loop load at a fixed rate (wrk2-style). autocannon's overallRate is not that: each connection
// fires its per-second quota back to back and then idles until the next second, so its "rated" run is
// a saturation burst at full concurrency for most of every second. Here request i is due at
// start + i/rate whatever the server does, and its latency counts from that moment, so a stall shows
// in full (no coordinated omission) and the rate offered is the rate asked for.
import { connect, type Socket } from 'node:net';

export interface OpenLoopResult {
  offered: number;
  /** Responses per second over the run. */
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  nonOk: number;
  errors: number;
}

export interface Signed { body: string; headers: Record<string, string> }

interface Connection { socket: Socket; busy: boolean; due: number; buffer: Buffer }

function open(target: URL): Promise<Connection> {
  return new Promise<Connection>((ready, fail) => {
    const socket = connect(Number(target.port), target.hostname, () => ready(c));
    socket.setNoDelay(true);
    socket.once('error', fail);
    const c: Connection = { socket, busy: false, due: 0, buffer: Buffer.alloc(0) };
  });
}

/** Keep-alive HTTP/1.1 over raw sockets: node's http client costs more CPU per request than the server under test can spare on two cores. */
export async function openLoop(url: string, opts: {
  rate: number; seconds: number; connections: number; next: () => Signed;
  /** Called as the clock starts (every request encoded, every connection open): for a caller's own measurements of the run. */
  onStart?: () => void;
}): Promise<OpenLoopResult> {
  const target = new URL(url);
  const total = Math.round(opts.rate * opts.seconds);
  const latencies = new Float64Array(total);
  let ok = 0;
  let nonOk = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const waiting: number[] = []; // due times of requests no connection was free for
  const encode = ({ body, headers }: Signed) => {
    const lines = [`POST ${target.pathname} HTTP/1.1`, `host: ${target.host}`, `content-length: ${Buffer.byteLength(body)}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
  };
  // Every request is signed and encoded before the clock starts: the generator shares the machine with
  // the server, and its own work during the run (an HMAC and a 5 KB copy a request) would show as latency.
  // One buffer holds them all: a buffer per request would be 15,000 ArrayBuffers whose release makes
  // the generator's own GC pause mid-run (seen as 10–25 ms stalls against a bare server).
  const encoded = Array.from({ length: total }, () => encode(opts.next()));
  const offsets = new Float64Array(total + 1);
  encoded.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
  const wire = Buffer.concat(encoded);
  encoded.length = 0;
  let built = 0;
  // Free connections in FIFO order, so every one stays in use (an idle one would be closed by the server's keep-alive timeout).
  const free: Connection[] = await Promise.all(Array.from({ length: opts.connections }, () => open(target)));
  const all = new Set(free);
  opts.onStart?.();
  const start = performance.now();
  await new Promise<void>((done) => {
    const finish = (c: Connection, status: number | null) => {
      latencies[settled] = performance.now() - c.due;
      if (status === null) errors++;
      else if (status >= 200 && status < 300) ok++;
      else nonOk++;
      c.busy = false;
      if (++settled === total) return done();
      if (c.socket.destroyed) return;
      const due = waiting.shift();
      if (due !== undefined) send(c, due);
      else free.push(c);
    };
    const send = (c: Connection, due: number) => {
      c.busy = true;
      c.due = due;
      c.socket.write(wire.subarray(offsets[built]!, offsets[built + 1]!));
      built++;
    };
    const watch = (c: Connection) => {
      c.socket.on('data', (chunk: Buffer) => {
        c.buffer = c.buffer.length ? Buffer.concat([c.buffer, chunk]) : chunk;
        const head = c.buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const header = c.buffer.subarray(0, head).toString('latin1');
        const length = Number(/content-length: *(\d+)/i.exec(header)?.[1] ?? 0);
        if (c.buffer.length < head + 4 + length) return;
        c.buffer = c.buffer.subarray(head + 4 + length);
        finish(c, Number(header.slice(9, 12)));
      });
      c.socket.on('error', () => {});
      // A connection the server closed: its request (if any) is an error; a new connection takes its place.
      c.socket.once('close', () => {
        all.delete(c);
        const at = free.indexOf(c);
        if (at >= 0) free.splice(at, 1);
        if (c.busy) finish(c, null);
        if (settled < total) void open(target).then((fresh) => {
          all.add(fresh);
          watch(fresh);
          const due = waiting.shift();
          if (due !== undefined) send(fresh, due);
          else free.push(fresh);
        }, () => {});
      });
    };
    for (const c of free) watch(c);
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / opts.rate <= now) {
        const due = start + (sent++ * 1000) / opts.rate;
        const c = free.shift();
        if (c) send(c, due);
        else waiting.push(due);
      }
      if (sent === total) clearInterval(timer);
    }, 1);
  });
  const seconds = (performance.now() - start) / 1000;
  for (const c of all) c.socket.destroy();
  latencies.sort();
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return { offered: opts.rate, achieved: total / seconds, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? 0, ok, nonOk, errors };
}
