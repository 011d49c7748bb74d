// The exposition reader the metrics test trusts: it takes prom-client's output, and refuses what promtool would.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePromText, valueOf } from './support/promText.ts';

describe('parsePromText', () => {
  it('reads a registry\'s exposition, label values escaped', async () => {
    const registry = new Registry();
    new Counter({ name: 'a_total', help: 'h', labelNames: ['x'], registers: [registry] }).inc({ x: 'q"uo\\te\nd' }, 3);
    new Histogram({ name: 'h_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] }).observe(0.5);
    const samples = parsePromText(await registry.metrics());
    expect(valueOf(samples, 'a_total', { x: 'q"uo\\te\nd' })).toBe(3);
    expect(valueOf(samples, 'h_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(valueOf(samples, 'h_seconds_bucket', { le: '0.1' })).toBe(0);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['a bad sample line', '# TYPE a_total counter\na_total{x=1} 1\n', /grammar/],
    ['a counter without _total', '# TYPE a counter\na 1\n', /_total/],
    ['a series twice', '# TYPE g gauge\ng{x="1"} 1\ng{x="1"} 2\n', /twice/],
    ['TYPE after samples', 'g 1\n# TYPE g gauge\n', /after its samples/],
    ['a family split', '# TYPE g gauge\ng 1\n# TYPE f gauge\nf 1\ng{x="2"} 1\n', /not together/],
    ['a falling bucket', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', /below/],
    ['+Inf not the count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n', /_count/],
    ['no final newline', '# TYPE g gauge\ng 1', /newline/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what}`, () => expect(() => parsePromText(text)).toThrow(message));
  }
});
