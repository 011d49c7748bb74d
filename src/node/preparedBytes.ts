// The preparation thread's results cross to the event loop with their encoded JSON as UTF-8 bytes in one
// transferred buffer: the event loop then copies bytes into a request body, where joining the texts and
// encoding the joined text was half its work for a batch store.
import { Buffer } from 'node:buffer';

interface Slot { holder: Record<string, unknown>; text: string }

/**
 * Replaces every `json` text of the results (at the top or one object deep, as a status plan's fallback)
 * with a view into one buffer, which it returns for postMessage to transfer; null when there is none.
 */
export function packJsonText(results: unknown[]): ArrayBuffer | null {
  const slots: Slot[] = [];
  for (const result of results) collect(result, 0, slots);
  if (slots.length === 0) return null;
  const lengths = slots.map((s) => Buffer.byteLength(s.text));
  const bytes = Buffer.allocUnsafeSlow(lengths.reduce((a, b) => a + b, 0)); // its own ArrayBuffer, so it can be transferred
  let at = 0;
  slots.forEach((slot, i) => {
    bytes.write(slot.text, at);
    slot.holder.json = new Uint8Array(bytes.buffer, bytes.byteOffset + at, lengths[i]!);
    at += lengths[i]!;
  });
  return bytes.buffer;
}

function collect(value: unknown, depth: number, slots: Slot[]): void {
  if (!value || typeof value !== 'object' || depth > 1) return;
  const holder = value as Record<string, unknown>;
  for (const key in holder) {
    const v = holder[key];
    if (key === 'json' && typeof v === 'string') slots.push({ holder, text: v });
    else if (v && typeof v === 'object') collect(v, depth + 1, slots);
  }
}
