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
});
