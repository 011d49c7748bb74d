// What the webhook benches share: their settings from the environment, each with one default, and the secret and
// admin token their servers start with.

export const BENCH_SECRET = 'bench-secret';
export const BENCH_TOKEN = 'bench-token';

/** A BENCH_* number from the environment, else the bench's own default. */
export const benchNumber = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** Signed webhooks at BENCH_RATE a second (1,500) in windows of BENCH_SECONDS (the bench's default, 10 unless it says). */
export const webhookLoad = (defaultSeconds = 10): { rate: number; seconds: number } => ({
  rate: benchNumber('BENCH_RATE', 1500),
  seconds: benchNumber('BENCH_SECONDS', defaultSeconds),
});
