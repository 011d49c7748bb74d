import { describe, expect, it } from 'vitest';
import { describeEsError } from './problem.ts';

describe('describeEsError', () => {
  it('reads the documented problem shape with an errors array', () => {
    const body = JSON.stringify({ type: 't', title: 'Bad', status: 400, substatus: 'CustomerInvalidModelState', detail: 'Invalid', instance: '/orders', errors: ['a: x', 'b: y'] });
    expect(describeEsError(400, body)).toBe('ExpertSender 400 CustomerInvalidModelState: Bad — Invalid — a: x — b: y');
  });

  it('reads the ASP.NET errors map too', () => {
    const body = JSON.stringify({ title: 'One or more validation errors occurred.', status: 400, errors: { 'data[0].id': ['The id field is required.'] } });
    expect(describeEsError(400, body)).toBe('ExpertSender 400: One or more validation errors occurred. — data[0].id: The id field is required.');
  });

  it('reads problem fields of any JSON type (a number title, an object detail, a string errors) without throwing', () => {
    expect(describeEsError(400, '{"title":400,"detail":{"x":1},"substatus":7}')).toBe('ExpertSender 400 7: 400 — {"x":1}');
    expect(describeEsError(400, '{"title":null,"errors":"id is wrong"}')).toBe('ExpertSender 400: id is wrong');
    expect(describeEsError(400, '{"errors":{"data[0].id":"required","n":[1]}}')).toBe('ExpertSender 400: data[0].id: required — n: 1');
  });

  it('keeps a non-problem body as text, bounded', () => {
    expect(describeEsError(502, '<html>Bad gateway</html>')).toBe('ExpertSender 502: <html>Bad gateway</html>');
    expect(describeEsError(500, '')).toBe('ExpertSender 500 with an empty body');
    expect(describeEsError(400, 'x'.repeat(5000)).length).toBeLessThanOrEqual(2001);
    expect(describeEsError(400, JSON.stringify({ ok: false }))).toBe('ExpertSender 400: {"ok":false}');
  });
});
