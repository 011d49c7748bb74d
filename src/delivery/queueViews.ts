import type { DeadLetterRow } from './deadLetterBook.ts';

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/**
 * A dead letter as an operator reads it, from GET /api/dead-letters and `orderbridge dead-letters list --json`
 * alike: the row with its JSON columns (events, order, customer) parsed; times stay epoch milliseconds.
 */
export function deadLetterView(row: DeadLetterRow) {
  return { ...row, events: parseJson(row.events), order: parseJson(row.order), customer: parseJson(row.customer) };
}

export type DeadLetterView = ReturnType<typeof deadLetterView>;
