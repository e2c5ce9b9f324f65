/**
 * Junk on every operation: odd path parameters, bodies of the wrong shape or types, unknown fields, long strings.
 * Each answer must be documented by the contract (t.call checks it) and never a 5xx; a 4xx must leave the
 * sandbox's state as it was (read through the admin API). Mock only: junk that succeeds (a key rotation, a theme
 * reset) is not something to send to a real site.
 */
import { beforeEach, describe, expect } from 'vitest';
import { it } from './session.ts';
import { loadContract } from '../../server/core/contract/load.ts';
import { needsStandin, type ConformanceTarget } from '../support/target.ts';

const STANDIN_ONLY =
  "each 4xx is checked to leave the sandbox's state unchanged (admin API); junk that succeeds is not sent to a real site";

const operations = loadContract('djaoapp').operations;
const junkParams = ['no-such-thing', 'x'.repeat(300), '%00 ü/../..'];
const junkBodies: unknown[] = [
  undefined,
  {},
  [],
  'text',
  42,
  null,
  {
    username: 7,
    password: [],
    email: {},
    full_name: null,
    token: 1,
    new_password: false,
    rank: 'one',
    path: 5,
    read_terms: 'yes',
    notifications: 'all',
    account: 3,
    tag: [],
    pubkey: 9,
    entry_point: 1,
    session_backend: {},
  },
  {
    email: `${'x'.repeat(300)}@example.com`,
    full_name: 'y'.repeat(5000),
    rank: 1e308,
    path: `/${'z'.repeat(300)}`,
    unknown_field: true,
  },
];

async function djaoappState(t: ConformanceTarget): Promise<unknown> {
  const state = await t.admin<{ apis: Record<string, unknown> }>('GET', '/state');
  return state.apis.djaoapp;
}

describe('junk requests', () => {
  beforeEach(({ skip }) => needsStandin({ skip }, STANDIN_ONLY));
  it.for(operations.map((op) => [op.operationId, op] as const))(
    '%s answers a documented status, never 5xx, and a 4xx changes nothing',
    async ([operationId, op], { t, manager }) => {
      const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const paramSets = names.length ? junkParams.map((v) => Object.fromEntries(names.map((n) => [n, v]))) : [{}];
      for (const params of paramSets) {
        for (const body of op.requestBody ? junkBodies : [undefined]) {
          const before = await djaoappState(t);
          const res = await t.call(operationId, { params, headers: manager, ...(body === undefined ? {} : { body }) });
          expect(
            res.status,
            `${operationId} ${JSON.stringify(params)} ${JSON.stringify(body)?.slice(0, 80)}`,
          ).toBeLessThan(500);
          if (res.status >= 400) expect(await djaoappState(t)).toEqual(before);
        }
      }
    },
  );
});
