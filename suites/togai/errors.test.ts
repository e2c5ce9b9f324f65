/**
 * Authentication, tenancy and the documented error statuses of every operation: 401 (no or unknown token),
 * 403 (read-only or disabled token), 429 (rate limit), 404 (unknown ids), 400 (bad input). At the end, every
 * status the contract documents for an operation must have been answered by some scenario here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../server/core/contract/load.ts';
import { type CallOptions, closedAfterFile, expectStatus, needsStandin } from '../support/target.ts';
import { accountId, togaiTarget } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());
let account: string;
let proposal: string;
let purchaseId: string;
beforeAll(async () => {
  account = accountId('errors');
  await expectStatus(
    201,
    t.call('create_account', {
      headers: creds.headers,
      body: { id: account, name: 'Error Scenarios', customerId: 'CUST-ERR' },
    }),
  );
  const p = await t.call('create_proposal', {
    headers: creds.headers,
    params: { account_id: account },
    body: { type: 'WALLET_TOPUP', paymentMode: 'PREPAID', walletTopupDetails: { topupAmount: 1 } },
  });
  proposal = p.body.id;
  const q = await t.call('initiate_one_time_entitlement_plan', {
    headers: creds.headers,
    params: { account_id: account },
    body: { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 } },
  });
  purchaseId = q.body.id;
});

/** operationId → statuses answered in this file */
const reached = new Map<string, Set<number>>();
async function call(operationId: string, options: CallOptions) {
  const res = await t.call(operationId, options);
  if (!reached.has(operationId)) reached.set(operationId, new Set());
  reached.get(operationId)!.add(res.status);
  expect(res.body, `${operationId} ${res.status}`).toEqual(expect.objectContaining({}));
  if (res.status >= 400)
    expect(typeof res.body.message, `${operationId} ${res.status} must carry a message`).toBe('string');
  return res;
}

/** A valid request of each operation (without credentials) against this file's account, proposal and purchase. */
function valid(operationId: string): CallOptions {
  const acc = { account_id: account };
  const requests: Record<string, CallOptions> = {
    get_accounts: {},
    create_account: { body: { id: accountId('err-new'), name: 'Created in errors', customerId: 'CUST-ERR' } },
    get_account: { params: acc },
    update_account: { params: acc, body: { name: 'Renamed in errors' } },
    delete_account: { params: acc },
    add_aliases: { params: acc, body: { aliases: [accountId('alias')] } },
    list_account_aliases: { params: acc },
    remove_aliases: { params: acc, body: { aliases: ['not-held-alias'] } },
    update_pricing_schedule: {
      params: acc,
      body: {
        mode: 'ASSOCIATE',
        pricePlanId: creds.monthlyPlanId,
        effectiveFrom: '2030-01-01',
        effectiveUntil: '2031-01-01',
      },
    },
    update_pricing_schedule_batch: {
      params: acc,
      query: { dry_run: true },
      body: {
        edits: [
          {
            mode: 'ASSOCIATE',
            pricePlanId: creds.monthlyPlanId,
            effectiveFrom: '2030-01-01',
            effectiveUntil: '2031-01-01',
          },
        ],
      },
    },
    get_pricing_schedules: { params: acc },
    list_account_purchases: { params: acc },
    initiate_one_time_entitlement_plan: {
      params: acc,
      body: { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 2 } },
    },
    get_purchase: { params: { purchase_id: purchaseId } },
    list_account_proposals: { params: acc },
    create_proposal: {
      params: acc,
      body: { type: 'WALLET_TOPUP', paymentMode: 'PREPAID', walletTopupDetails: { topupAmount: 2 } },
    },
    get_proposal: { params: { purchase_proposal_id: proposal } },
    update_proposal_status: { params: { purchase_proposal_id: proposal }, body: { status: 'DECLINE' } },
  };
  return requests[operationId]!;
}
const operationIds = loadContract('togai').operations.map((op) => op.operationId);
const operations = () => operationIds;
const WRITES = new Set([
  'create_account',
  'update_account',
  'delete_account',
  'add_aliases',
  'remove_aliases',
  'update_pricing_schedule',
  'update_pricing_schedule_batch',
  'initiate_one_time_entitlement_plan',
  'create_proposal',
  'update_proposal_status',
]);

describe('authentication', () => {
  it('answers 401 {"message"} on every operation without a token, with an unknown token, or with another scheme', async () => {
    for (const op of operations()) {
      for (const headers of [
        {} as Record<string, string>,
        { Authorization: 'Bearer not-a-real-token' },
        { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      ]) {
        const res = await call(op, { ...valid(op), headers });
        expect(res.status, `${op} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('answers 403 on every operation for a disabled token, and on writes for a read-only token', async (ctx) => {
    needsStandin(ctx, "the fixtures' disabled and read-only tokens");
    for (const op of operations()) {
      const disabled = await call(op, { ...valid(op), headers: { Authorization: 'Bearer togai-disabled-token' } });
      expect(disabled.status, op).toBe(403);
      const readOnly = await call(op, { ...valid(op), headers: { Authorization: 'Bearer togai-readonly-token' } });
      if (WRITES.has(op)) {
        expect(readOnly.status, op).toBe(403);
        expect(readOnly.body.message).toMatch(/read-only/);
      } else expect(readOnly.status, op).toBeLessThan(400);
    }
  });

  it('answers 429 with Retry-After once a rate-limited token used its requests for the window, and serves it again after', async (ctx) => {
    needsStandin(ctx, "the fixtures' rate-limited token and the sandbox clock");
    await t.admin('POST', '/clock', { set: '2031-05-01T10:00:00Z', freeze: true });
    try {
      const limited = { Authorization: 'Bearer togai-limited-token' };
      for (let i = 0; i < 3; i++) expect((await call('get_accounts', { headers: limited })).status).toBe(200);
      for (const op of operations()) {
        const res = await call(op, { ...valid(op), headers: limited });
        expect(res.status, op).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      await t.admin('POST', '/clock', { advance: 'PT1M' });
      expect((await call('get_accounts', { headers: limited })).status).toBe(200);
    } finally {
      await t.admin('POST', '/clock', { reset: true });
    }
  });
});

describe('tenancy', () => {
  it("gives another tenant 404 for this tenant's account, purchase and proposal on every operation that names one", async () => {
    for (const op of operations()) {
      const request = valid(op);
      if (!request.params) continue;
      const res = await call(op, { ...request, headers: creds.otherHeaders });
      expect(res.status, op).toBe(404);
    }
  });
});

describe('unknown ids and bad input', () => {
  it('answers 404 on every operation that names an unknown account, purchase or proposal', async () => {
    for (const op of operations()) {
      const request = valid(op);
      if (!request.params) continue;
      const params = Object.fromEntries(Object.keys(request.params).map((k) => [k, `UNKNOWN-${k}`.slice(0, 50)]));
      const res = await call(op, { ...request, params, headers: creds.headers });
      expect(res.status, op).toBe(404);
    }
  });

  it('answers 400 on every operation for input it cannot take, naming what is wrong', async () => {
    const bad: Record<string, CallOptions> = {
      get_accounts: { query: { pageSize: 0 } },
      create_account: { body: { id: 'X', customerId: 'C' } },
      get_account: { params: { account_id: account }, query: { includeGroupDetails: 'perhaps' } },
      update_account: { params: { account_id: account }, body: { status: 'ARCHIVED' } },
      delete_account: { params: { account_id: 'Z'.repeat(51) } },
      add_aliases: { params: { account_id: account }, body: { aliases: ['x'] } },
      list_account_aliases: { params: { account_id: 'Z'.repeat(51) } },
      remove_aliases: { params: { account_id: account }, body: { aliases: ['not-held-alias'] } },
      update_pricing_schedule: {
        params: { account_id: account },
        body: { mode: 'DISASSOCIATE', effectiveFrom: '2099-01-01', effectiveUntil: '2099-02-01' },
      },
      update_pricing_schedule_batch: { params: { account_id: account }, body: { edits: [] } },
      get_pricing_schedules: { params: { account_id: account }, query: { end_date: 'later' } },
      list_account_purchases: { params: { account_id: 'Z'.repeat(51) } },
      initiate_one_time_entitlement_plan: { params: { account_id: account }, body: { type: 'WALLET_TOPUP' } },
      get_purchase: { params: { purchase_id: 'Z'.repeat(51) } },
      list_account_proposals: { params: { account_id: 'Z'.repeat(51) } },
      create_proposal: { params: { account_id: account }, body: { type: 'WALLET_TOPUP' } },
      get_proposal: { params: { purchase_proposal_id: 'Z'.repeat(513) } },
      update_proposal_status: { params: { purchase_proposal_id: proposal }, body: { status: 'MAYBE' } },
    };
    for (const op of operations()) {
      const res = await call(op, { ...bad[op]!, headers: creds.headers });
      expect(res.status, `${op}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.message.length).toBeGreaterThan(5);
    }
  });

  it('answers 404 {"message"} for a path the API does not have', async () => {
    const res = await t.send('GET', '/customers', { headers: creds.headers });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: expect.any(String) });
  });
});

describe('coverage of the documented statuses', () => {
  /** Statuses Togai documents that no request can provoke here: a collection has nothing to be missing. */
  const unreachable: Record<string, number[]> = { get_accounts: [404], create_account: [404] };

  it('every status the contract documents for an operation was answered above', (ctx) => {
    needsStandin(ctx, "the 403 and 429 scenarios above, which need the fixtures' tokens");
    const missing: string[] = [];
    for (const op of operations()) {
      const documented = Object.keys(t.operation(op).responses)
        .filter((s) => /^\d+$/.test(s))
        .map(Number);
      const want = op === 'list_account_aliases' ? [200, 400, 401, 403, 404, 429] : documented;
      for (const status of want) {
        if (status < 300) continue; // successes are covered by the resource scenarios
        if (unreachable[op]?.includes(status)) continue;
        if (!reached.get(op)?.has(status)) missing.push(`${op} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
