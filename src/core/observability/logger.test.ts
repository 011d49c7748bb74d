import { describe, expect, it } from 'vitest';
import { jsonLineLogger, silentLogger } from './logger.ts';

describe('jsonLineLogger (the logger a runtime without pino uses)', () => {
  it('writes one JSON object per line at and above its level, with the child\'s fields', () => {
    const lines: string[] = [];
    const logger = jsonLineLogger({ level: 'info', write: (l) => lines.push(l), now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    logger.debug('hidden', { a: 1 });
    logger.child({ component: 'lease' }).warn('taken', { owner: 'x' });
    logger.info('plain');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'warn', time: '2026-01-02T03:04:05.000Z', component: 'lease', owner: 'x', msg: 'taken' },
      { level: 'info', time: '2026-01-02T03:04:05.000Z', msg: 'plain' },
    ]);
    expect([logger.enabled('debug'), logger.enabled('info'), logger.enabled('error')]).toEqual([false, true, true]);
  });

  it('silentLogger writes nothing and says so', () => {
    expect(silentLogger.enabled('error')).toBe(false);
    expect(() => silentLogger.child({}).error('x')).not.toThrow();
  });
});
