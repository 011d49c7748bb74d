import type { Clock } from '../clock.ts';
import type { Db } from '../state/sqlPort.ts';

/**
 * The admin console's live sessions, by the random id their signed cookie carries: a logout deletes the row, so the
 * cookie it leaves in some browser (or a copy of it) opens nothing after. Expired rows are swept at each login.
 */
export class ConsoleSessions {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  open(id: string, expiresAt: number): void {
    const port = this.db.$client;
    port.prepare('DELETE FROM console_sessions WHERE expires_at <= ?').run(this.clock.now());
    port.prepare('INSERT INTO console_sessions (id, expires_at) VALUES (?, ?)').run(id, expiresAt);
  }

  live(id: string): boolean {
    const row = this.db.$client.prepare('SELECT expires_at AS expiresAt FROM console_sessions WHERE id = ?').get(id) as { expiresAt: number } | undefined;
    return !!row && row.expiresAt > this.clock.now();
  }

  end(id: string): void {
    this.db.$client.prepare('DELETE FROM console_sessions WHERE id = ?').run(id);
  }
}
