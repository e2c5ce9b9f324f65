/**
 * Bad input of every kind on every operation: the answer is a documented 4xx (the suite helper checks it
 * against the contract), never a 5xx, and the store is unchanged afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { needsStandin } from '../support/target.ts';
import { togglSuite } from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'each' });

const junkBodies: unknown[] = [
  null,
  [],
  'text',
  42,
  true,
  { pricing_plan_id: -1, user_count: -1, period: 0, country_id: 'x' },
  { contact_details: [], selections: 'x' },
];
const junkIds = ['abc', '-1', '0', '99999999999999999999'];

/** Everything the Toggl slice holds except the clock-driven renewals. */
async function billingState() {
  const state = await t.admin<any>('GET', '/state');
  const { users, organizations, workspaces, customers, subscriptions, invoices, payments, purchase_orders, feedback } =
    state.apis.toggl;
  return { users, organizations, workspaces, customers, subscriptions, invoices, payments, purchase_orders, feedback };
}

describe('robustness', () => {
  beforeEach((ctx) => needsStandin(ctx, 'the admin API, to compare the store before and after'));

  it('junk bodies and ids on every operation: 4xx only, store unchanged', async () => {
    const before = await billingState();
    const { loadContract } = await import('../../server/core/contract/load.ts');
    for (const op of loadContract('toggl').operations) {
      const pathNames = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      if (!pathNames.length && !op.requestBody) continue;
      for (const id of junkIds) {
        const params = Object.fromEntries(pathNames.map((n) => [n, id]));
        const bodies = op.requestBody ? junkBodies : [undefined];
        for (const body of bodies) {
          const res = await t.call(op.operationId, {
            params,
            headers: creds.admin,
            ...(body === undefined ? {} : { body }),
            query: { immediateCancel: 'true', quantity: 'x' },
          });
          expect(res.status, `${op.operationId} ${id} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }
      }
      if (op.requestBody) {
        const params = Object.fromEntries(pathNames.map((n) => [n, 56]));
        for (const rawBody of ['{', '{"a":', '\u0000', '[1,2', '']) {
          if (rawBody === '' && !op.requestBody.required) continue;
          const res = await t.call(op.operationId, {
            params,
            headers: { ...creds.admin, 'Content-Type': 'application/json' },
            rawBody,
            query: { immediateCancel: 'false' },
          });
          expect(res.status, `${op.operationId} ${JSON.stringify(rawBody)}`).toBe(400);
        }
      }
    }
    expect(await billingState()).toEqual(before);
  });
});
