import { describe, expect, it } from 'vitest';
import { basicAuthorization, chunk } from './client.ts';
import { parseFailedOrders } from './outcome.ts';

describe('eSputnik client pieces', () => {
  it('builds HTTP Basic with the API key as password, UTF-8 safe', () => {
    expect(basicAuthorization('user', 'key')).toBe(`Basic ${Buffer.from('user:key').toString('base64')}`);
    expect(basicAuthorization('Ärger', 'ключ')).toBe(`Basic ${Buffer.from('Ärger:ключ', 'utf8').toString('base64')}`);
  });

  it('reads the failed orders from the shapes a 200 answer may take', () => {
    expect(parseFailedOrders('')).toEqual([]);
    expect(parseFailedOrders('<html>ok</html>')).toEqual([]);
    expect(parseFailedOrders('{"failedOrders":[]}')).toEqual([]);
    expect(parseFailedOrders('{"failedOrders":[{"externalOrderId":"1","errorMessage":"bad status"}]}'))
      .toEqual([{ externalOrderId: '1', error: 'bad status' }]);
    expect(parseFailedOrders('[{"order":{"externalOrderId":7},"errors":["a","b"]}]'))
      .toEqual([{ externalOrderId: '7', error: 'a; b' }]);
    expect(parseFailedOrders('{"failed":[{"code":12}]}')).toEqual([{ externalOrderId: null, error: '{"code":12}' }]);
    // A list that may echo every order sent: only entries carrying an error are failures.
    expect(parseFailedOrders('{"orders":[{"externalOrderId":"1","status":"INITIALIZED"},{"externalOrderId":"2","error":"bad cost"}]}'))
      .toEqual([{ externalOrderId: '2', error: 'bad cost' }]);
    expect(parseFailedOrders('[{"externalOrderId":"3"},{"externalOrderId":"4","errors":[]}]')).toEqual([]);
  });

  it('cuts lists into request-sized chunks', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 1000)).toEqual([]);
  });
});
