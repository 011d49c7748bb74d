import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('readConfig', () => {
  it('refuses DESTINATION_* settings given without DESTINATION_KIND (they would be ignored)', () => {
    expect(() => readConfig({ DESTINATION_SETTINGS: '{"baseUrl":"https://example.com"}', DESTINATION_SECRET: 'k' }))
      .toThrow('invalid configuration: DESTINATION_SETTINGS, DESTINATION_SECRET set without DESTINATION_KIND (the store they are for)');
    expect(readConfig({ DESTINATION_KIND: 'engage', DESTINATION_SECRET: 'k' })).toMatchObject({ DESTINATION_KIND: 'engage', DESTINATION_SETTINGS: '{}' });
    expect(readConfig({ DESTINATION_SETTINGS: '' }).DESTINATION_KIND).toBeUndefined(); // empty = unset
  });

  it('names the variable that is wrong', () => {
    expect(() => readConfig({ PORT: 'abc' })).toThrow(/^invalid configuration: PORT: /);
    expect(() => readConfig({ PREPARATION_THREADS: '0' })).toThrow(/^invalid configuration: PREPARATION_THREADS: /);
  });

  it('refuses a back-off whose first delay is above its longest', () => {
    expect(() => readConfig({ DELIVERY_BACKOFF_BASE_MS: '5000', DELIVERY_BACKOFF_MAX_MS: '1000' }))
      .toThrow('invalid configuration: DELIVERY_BACKOFF_BASE_MS (5000) is above DELIVERY_BACKOFF_MAX_MS (1000)');
    expect(readConfig({ DELIVERY_BACKOFF_BASE_MS: '1000', DELIVERY_BACKOFF_MAX_MS: '1000' }).DELIVERY_BACKOFF_MAX_MS).toBe(1000);
  });
});
