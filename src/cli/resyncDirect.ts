import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { resyncRoutes } from '../app/admin/resyncRoutes.ts';
import { systemClock } from '../core/clock.ts';
import { DeliveryLease } from '../core/delivery/deliveryLease.ts';
import { JobRunner } from '../core/jobs/jobRunner.ts';
import { jobKinds } from '../core/jobs/kinds.ts';
import { SecretBox } from '../core/state/secretBox.ts';
import { createStorage } from '../core/storage.ts';
import { readConfig, type NodeConfig } from '../node/config.ts';
import { resolveEncryptionKey } from '../node/encryptionKey.ts';
import { holderGone, leaseOwner } from '../node/leaseOwner.ts';
import { nodeResyncSources } from '../node/resyncSources.ts';
import { CliError } from './cliError.ts';
import { openExistingDatabase } from './existingDatabase.ts';

// `orderbridge resync` when no server answers: the same routes (checks, views) and the same job runner, in this
// process, on the database the server would open (its configuration: DATABASE_PATH, ENCRYPTION_KEY, …). Jobs run
// only while this process holds the delivery lease, as a server's do: one runner per database file.

/** What the CLI asks of the admin API, answered here without HTTP. */
export type ResyncCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export interface DirectResync {
  databasePath: string;
  call: ResyncCall;
  /** Runs the unfinished jobs, oldest first (a job left running resumes from its last committed page). */
  run(): void;
  /** Why jobs stopped running here (the lease was lost), or null. */
  readonly halted: string | null;
  /** Stops after the step in flight (a running job stays running, to resume), lets the lease go, closes the database. */
  close(): Promise<void>;
}

const LEASE_RENEW_MS = 5_000;

function config(): NodeConfig {
  try {
    return readConfig();
  } catch (error) {
    throw new CliError(`the configuration (as npm start reads it) is wrong: ${(error as Error).message}`);
  }
}

/**
 * Opens the database directly. With `runJobs`, takes the delivery lease first: a server that holds it (alive, but
 * not at the URL asked) runs the jobs itself, and a second runner beside it is refused.
 */
export async function openDirect(opts: { serverUrl: string; runJobs: boolean }): Promise<DirectResync> {
  const settings = config();
  const database = openExistingDatabase(settings.DATABASE_PATH);
  const databasePath = resolve(settings.DATABASE_PATH);
  const clock = systemClock;
  const storage = createStorage(database, clock, { nextTurn });
  let lease: DeliveryLease | null = null;
  let runner: JobRunner | null = null;
  let renewing: NodeJS.Timeout | undefined;
  let halted: string | null = null;
  try {
    if (opts.runJobs) {
      lease = new DeliveryLease(database.sqlite, leaseOwner(), { holderGone });
      if (!lease.holds(clock.now())) {
        const holder = lease.holder();
        throw new CliError(`no orderbridge answers at ${opts.serverUrl}, but one runs on ${databasePath} (${holder?.owner ?? 'another process'}, `
          + `holding it until ${new Date(holder?.expiresAt ?? clock.now()).toISOString()}); a resync must run in that one: set ORDERBRIDGE_URL `
          + '(or PORT) to its address and try again');
      }
      // The server's key, never a new one: a key made here would open none of the shops' credentials.
      const keyFile = join(dirname(databasePath), 'orderbridge.key');
      if (!settings.ENCRYPTION_KEY && !existsSync(keyFile)) {
        throw new CliError(`ENCRYPTION_KEY is not set and there is no ${keyFile}: set ENCRYPTION_KEY as the server has it (the shops' credentials open only with it)`);
      }
      const { key } = resolveEncryptionKey(settings.ENCRYPTION_KEY, settings.DATABASE_PATH);
      const secrets = await SecretBox.fromPassphrase(key);
      const sources = await nodeResyncSources(settings);
      const held = lease;
      runner = new JobRunner({
        sqlite: database.sqlite, book: storage.jobs, kinds: jobKinds(storage, { secrets, sources }), clock, gate: database.writes,
        mayRun: () => {
          if (held.holds(clock.now())) return true;
          halted = `another process took the database over (${held.holder()?.owner ?? 'unknown'})`;
          return false;
        },
      });
      // A page read can take longer than half the lease (Shopify's pacing, retries): renewed beside it too.
      renewing = setInterval(() => {
        if (!held.holds(clock.now())) halted ??= `another process took the database over (${held.holder()?.owner ?? 'unknown'})`;
      }, LEASE_RENEW_MS);
    }
  } catch (error) {
    database.close();
    throw error;
  }
  const app = new Hono().route('/api', resyncRoutes({ storage, clock }));
  storage.onJobQueued = () => runner?.wake();
  let closing: Promise<void> | null = null;
  return {
    databasePath,
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await app.request(`/api${path}`, {
        method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
      if (!res.ok) throw new CliError(`${res.status} ${json.error ?? ''}: ${json.message ?? 'no message'}`);
      return json as T;
    },
    run: () => runner?.start(),
    get halted() {
      return halted;
    },
    close: () => {
      closing ??= (async () => {
        clearInterval(renewing);
        await runner?.stop();
        // Taken from a process that never let it go (killed): left to lapse, so the next server settles what that one
        // may have had in flight, as it would have on taking it over itself.
        if (lease && !lease.takeUnreleased()) lease.release();
        database.close();
      })();
      return closing;
    },
  };
}
