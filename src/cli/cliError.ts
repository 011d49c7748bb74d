import { InvalidArgumentError } from 'commander';

/** A mistake the operator can fix: the CLI prints its message as one line and exits non-zero, no stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Commander argument parser for a whole number from `min` up; commander reports a bad value as a usage error. */
export const wholeNumber = (what: string, min = 0, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${what} is a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}.`);
  }
  return n;
};
