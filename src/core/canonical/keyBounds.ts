// Bounds on what becomes part of a key (orders, shops, receipts): a key of any length is no platform's.

/** A platform id has at most 20 digits (2^64 − 1 has 20): a longer one is no shop's, and would make a key of any length. */
export const MAX_ID_DIGITS = 20;

/** A host name has at most 255 characters (RFC 1035): a shop's host is part of every key it has. */
export const MAX_HOST_LENGTH = 255;

/** Why plain digits cannot be a platform id (too many of them), or null when they can; says how many, never echoes them. */
export function idDigitsProblem(digits: string): string | null {
  return digits.length > MAX_ID_DIGITS ? `a ${digits.length}-digit id; platform ids have at most ${MAX_ID_DIGITS} digits` : null;
}

/** Why a host name cannot be a shop's (too long), or null when it can. */
export function hostLengthProblem(host: string): string | null {
  return host.length > MAX_HOST_LENGTH ? `a ${host.length}-character host; host names have at most ${MAX_HOST_LENGTH} characters` : null;
}

/** A platform's delivery id (a UUID, a hash) is part of the receipt's key: a longer one is refused, not stored. */
export const MAX_DELIVERY_ID_LENGTH = 255;
