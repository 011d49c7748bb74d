// Disk and database drill. A full disk without root or a tmpfs: orderbridge runs under a file-size limit (`ulimit -f`, RLIMIT_FSIZE)
// just above its database's size, so the WAL soon cannot grow (EFBIG, as ENOSPC would); webhooks must be answered 503, nothing
// half-written, and once the limit is lifted (`prlimit --fsize=unlimited:` raises the soft limit, space returned) the same webhooks are taken.
// Then a read-only database file and a locked one must each stop the start with a sentence naming the file.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { shopifyDocsOrderBody } from '../../test/support/fixtures.ts';
import { launchOrderbridge, removeCreatedDirectories } from '../../test/support/orderbridgeLauncher.ts';
import { sendShopifyWebhook } from '../../test/support/shopifySender.ts';
import { figure, type DrillResult, type Figure } from './drill.ts';

const SECRET = 'disk-drill-secret';
const ENV = { SHOPIFY_API_SECRET: SECRET, ENCRYPTION_KEY: 'disk-drill-key' };

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const orderCount = (path: string) => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

async function startFailure(databasePath: string): Promise<string> {
  try {
    const p = await launchOrderbridge(ENV, databasePath);
    await p.stop();
    return 'started';
  } catch (error) {
    return String(error).split('\n').find((l) => l.includes('cannot start')) ?? String(error).slice(0, 200);
  }
}

/** Webhooks sent at most: the limit is 128 KB above the database, which some 80 webhooks fill (more on a busy machine). */
const MAX_SENDS = 2_000;

/** `refused`: webhooks to send after the first 503, each then sent again once space returns. */
export async function diskDrill(opts: { refused: number }): Promise<DrillResult> {
  const figures: Figure[] = [];
  const details: string[] = [];
  try {
    // A database with a few orders, then its size as the limit's base.
    const first = await launchOrderbridge(ENV);
    const path = first.databasePath;
    const send = (url: string, id: number, webhookId: string) => sendShopifyWebhook(url, {
      topic: 'orders/create', body: shopifyDocsOrderBody({ id: String(900_000 + id), note: 'n'.repeat(8_000) }), secret: SECRET, webhookId,
    });
    for (let i = 0; i < 3; i++) await (await send(first.url, i, randomUUID())).arrayBuffer();
    await first.stop();
    const base = Math.max(fileSize(path), fileSize(`${path}-wal`));
    const limitBlocks = Math.ceil((base + 128 * 1024) / 512);

    const full = await launchOrderbridge(ENV, path, { fileSizeLimitBlocks: limitBlocks });
    const statuses = new Map<number, number>();
    const acknowledged = new Set<number>();
    const refused: Array<{ id: number; webhookId: string }> = [];
    let failedSends = 0;
    // Until the disk is full and `refused` webhooks have met it: a fixed count reached the limit on one run and not on another.
    for (let id = 3; id < 3 + MAX_SENDS && refused.length < opts.refused; id++) {
      const webhookId = randomUUID();
      try {
        const r = await send(full.url, id, webhookId);
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) acknowledged.add(id);
        else refused.push({ id, webhookId });
      } catch {
        failedSends++;
        if (full.child.exitCode !== null || full.child.signalCode !== null) break;
      }
    }
    const alive = full.child.exitCode === null && full.child.signalCode === null;
    const died = alive ? [] : [`the server exited (${full.child.exitCode ?? full.child.signalCode}): ${full.output().slice(-2000)}`];
    const answered503 = statuses.get(503) ?? 0;
    const other = [...statuses].filter(([s]) => s !== 200 && s !== 503).map(([s, n]) => `${s}×${n}`);
    // Space returns: the limit lifted on the running process.
    let retaken = 0;
    if (alive) {
      execFileSync('prlimit', [`--pid=${full.child.pid}`, '--fsize=unlimited:']);
      for (const { id, webhookId } of refused) {
        const r = await send(full.url, id, webhookId);
        // "accepted", not "duplicate": nothing of the refused webhook (its receipt) was left behind.
        const outcome = ((await r.json().catch(() => ({}))) as { outcome?: string }).outcome;
        if (r.status === 200 && outcome === 'accepted') {
          retaken++;
          acknowledged.add(id);
        }
      }
      await full.stop();
    }
    details.push(...died);
    // The engine's side of a full disk: batches it could not settle wait and go again, logged rather than ending the process.
    const paused = full.output().split('\n').filter((l) => l.includes('delivery paused')).length;
    details.push(`delivery paused ${paused} time(s) while full (a batch not settled or a lease not renewed: kept, and sent again)`);
    const stored = orderCount(path) - 3;
    figures.push(
      figure('file-size limit (ulimit -f)', `${Math.round((limitBlocks * 512) / 1024)} KB`, 'reached', answered503 > 0),
      figure('webhooks answered 503 while full', answered503, '> 0', answered503 > 0),
      figure('other answers (not 200 or 503) or failed sends', other.length + failedSends, '0', other.length === 0 && failedSends === 0),
      figure('process alive through it', alive ? 'yes' : 'no', 'yes', alive),
      figure('refused webhooks taken (accepted, not duplicates) once space returned', `${retaken}/${refused.length}`, `${refused.length}/${refused.length}`, alive && retaken === refused.length),
      figure('orders stored / webhooks acknowledged', `${stored} / ${acknowledged.size}`, 'every acknowledged one stored', stored >= acknowledged.size),
    );

    // A database file the user may not write (root may write any file: then the case does not arise).
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o444);
    let enforced = true;
    try {
      accessSync(path, constants.W_OK);
      enforced = false;
    } catch { /* read-only to us: the case to check */ }
    const readOnly = await startFailure(path);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o644);
    figures.push(enforced
      ? figure('read-only database file', readOnly, 'cannot start, naming the file', readOnly.includes('read-only') && readOnly.includes(path))
      : figure('read-only database file', 'not applicable: run as root, which writes any file', 'cannot start, naming the file (non-root)', true));

    // A database another process holds locked.
    const locker = new Database(path);
    locker.pragma('locking_mode = EXCLUSIVE');
    locker.exec('BEGIN EXCLUSIVE');
    const locked = await startFailure(path);
    locker.exec('ROLLBACK');
    locker.close();
    figures.push(figure('locked database file', locked, 'cannot start, naming the file', locked.includes('locked') && locked.includes(path)));
  } finally {
    removeCreatedDirectories();
  }
  return { drill: 'disk and database faults', figures, details };
}
