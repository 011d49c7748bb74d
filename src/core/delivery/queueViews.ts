// Outbox rows and dead letters as an operator reads them, from the admin API and the CLI alike.
import type { DeadLetterRow } from './deadLetterBook.ts';
import type { OutboxRow } from './outboxQueue.ts';

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** A dead letter with its JSON columns (events, order, customer) parsed; times stay epoch milliseconds. */
export function deadLetterView(row: DeadLetterRow) {
  return { ...row, events: parseJson(row.events), order: parseJson(row.order), customer: parseJson(row.customer) };
}

export type DeadLetterView = ReturnType<typeof deadLetterView>;

/** The `after` of the next page, or null when this page was the last (it came back short). */
export function nextAfter(rows: ReadonlyArray<{ id: number }>, limit: number): number | null {
  return rows.length === limit ? rows.at(-1)!.id : null;
}

/** One page of dead letters, as GET /api/dead-letters answers and `dead-letters list --json` prints it. */
export function deadLetterPage(rows: DeadLetterRow[], limit: number): { items: DeadLetterView[]; nextAfter: number | null } {
  return { items: rows.map(deadLetterView), nextAfter: nextAfter(rows, limit) };
}

/** An outbox row the same way, with what its store still owes it and whether a batch holds it now (`inFlight`). */
export function outboxView(row: OutboxRow, inFlight: boolean) {
  return {
    ...row, inFlight, events: parseJson(row.events), order: parseJson(row.order), customer: parseJson(row.customer), owed: parseJson(row.owed),
  };
}
