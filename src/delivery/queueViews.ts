// Outbox rows and dead letters as an operator reads them, from the admin API and the CLI alike.
import type { DeadLetterRow } from './deadLetterBook.ts';
import type { OutboxRow } from './outboxQueue.ts';

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** A dead letter with its JSON columns (events, order, customer) parsed; times stay epoch milliseconds. */
export function deadLetterView(row: DeadLetterRow) {
  return { ...row, events: parseJson(row.events), order: parseJson(row.order), customer: parseJson(row.customer) };
}

export type DeadLetterView = ReturnType<typeof deadLetterView>;

/** An outbox row the same way, with what its store still owes it. */
export function outboxView(row: OutboxRow) {
  return { ...row, events: parseJson(row.events), order: parseJson(row.order), customer: parseJson(row.customer), owed: parseJson(row.owed) };
}
