import { describe, expect, it, vi } from 'vitest';
import { checkReply, outsideContractReply } from './self-check.ts';
import { testApi } from './test-api.ts';

describe('the self-check stage', () => {
  const api = testApi();
  const operation = api.contract.byId.get('get_thing')!;

  it('finds nothing in a reply the contract allows', () => {
    expect(checkReply(api, operation, { status: 200, body: { id: 1 } })).toEqual({ problems: [], omitted: 0 });
  });

  it('finds a reply outside the contract, and answers it 500 naming the operation, the status and the problems', () => {
    const found = checkReply(api, operation, { status: 200, body: { name: 'no id' } });
    expect(found.problems).toEqual([expect.objectContaining({ in: 'response', keyword: 'required' })]);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(outsideContractReply(api, operation, { status: 200 }, found)).toMatchObject({
      status: 500,
      body: {
        standin: expect.stringContaining('outside its contract'),
        operation: 'get_thing',
        answered: 200,
        problems: found.problems,
      },
    });
  });

  it('checks the same bytes once: a text found within the contract passes again, one found outside never does', () => {
    const validator = api.validators.get('get_thing')!.responses.get('200')!.values().next().value!;
    const passes = vi.spyOn(validator, 'passes');
    const good = { status: 200, body: { id: 7 } };
    checkReply(api, operation, good, JSON.stringify(good.body));
    checkReply(api, operation, good, JSON.stringify(good.body));
    expect(passes).toHaveBeenCalledTimes(1);
    const bad = { status: 200, body: { name: 'still no id' } };
    for (let i = 0; i < 2; i++)
      expect(checkReply(api, operation, bad, JSON.stringify(bad.body)).problems).toHaveLength(1);
    expect(passes).toHaveBeenCalledTimes(3);
  });
});
