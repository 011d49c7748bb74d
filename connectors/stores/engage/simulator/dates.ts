// Engage's documented date format: YYYY-MM-DD[*HH[:MM[:SS[.fff[fff]]]][+HH:MM[:SS[.ffffff]]]] (seed 000).

const GENERIC =
  /^(\d{4})-(\d{2})-(\d{2})(?:.(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{3}|\d{6}))?)?)?(?:([+-])(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{6})?)?)?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of an Engage date (no offset = UTC, the fields are *_gmt); null when not in the documented format. */
export function parseEngageDate(text: string): number | null {
  const m = GENERIC.exec(text);
  if (!m) return null;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return null;
  if (month === 2 && day === 29 && !isLeap(year)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMs = 0;
  if (m[8]) {
    const oh = +m[9]!;
    const om = +m[10]!;
    const os = m[11] ? +m[11] : 0;
    if (oh > 23 || om > 59 || os > 59) return null;
    offsetMs = (m[8] === '-' ? -1 : 1) * ((oh * 60 + om) * 60 + os) * 1000;
  }
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMs;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
