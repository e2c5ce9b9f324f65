import { describe, expect, it } from 'vitest';
import { loadContract } from '../contract/load.ts';
import { compileContract } from './compile.ts';
import { checkResponse } from './response.ts';

describe('the self-check of a response', () => {
  const contract = loadContract('productive');
  const operation = contract.byId.get('get_price')!;
  const validators = compileContract(contract).get('get_price')!;
  const type = 'application/vnd.api+json';
  const twoProblems = { data: { id: 1, type: 'prices', attributes: {}, relationships: {} }, included: [], meta: {} };

  it('passes a reply by a check that stops at its first problem', () => {
    const { passes } = validators.responses.get('200')!.get(type)!;
    expect(passes(twoProblems)).toBe(false);
    expect(passes.errors).toHaveLength(1);
  });

  it('names every problem of a reply that fails', () => {
    const problems = checkResponse(operation, validators, { status: 200, body: twoProblems }, type);
    expect(problems.map((p) => `${p.pointer} ${p.keyword}`)).toEqual(
      expect.arrayContaining(['/data/id type', '/meta/organization_features required']),
    );
    expect(problems.length).toBeGreaterThan(2);
  });
});
