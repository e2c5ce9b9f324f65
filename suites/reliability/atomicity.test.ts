/**
 * Every request is atomic. Realistic flows of every API run step by step; each step is first made to fail at its
 * 1st, 2nd, 3rd… write to the state (a throw where the handler writes, as a bug would), until it makes fewer writes
 * than that and succeeds. Every failed attempt must answer 500 in the vendor's error format, leave the sandbox's
 * state byte-identical (GET …/state), and add nothing to the journal but its own entry.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { djaoapp } from '../../server/apis/djaoapp/index.ts';
import { productive } from '../../server/apis/productive/index.ts';
import type { ProductiveState } from '../../server/apis/productive/state.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { usContact } from '../toggl/target.ts';
import {
  facts,
  freshSandbox,
  Harness,
  pathOf,
  productivePrice,
  productivePriceDocument,
  send,
  settle,
  stateText,
  type ApiName,
  type Sent,
} from './support.ts';

/** The write at which the running request fails (0: none), and the writes it made so far. */
let failAt = 0;
let writes = 0;
const failing = () => {
  if (failAt && ++writes === failAt) throw new Error(`injected failure at write ${failAt}`);
};

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ beforeWrite: failing });
  // Each injected failure is logged as the bug it stands for: hundreds of them.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

/** Writes at which a step is made to fail: each of the first 12, then every ~1.5× further. */
function* failurePoints(): Generator<number> {
  for (let n = 1; ; n = n < 12 ? n + 1 : Math.ceil(n * 1.5)) yield n;
}

/** A 500 in the vendor's own error body. */
const vendor500: Record<ApiName, (res: Sent) => boolean> = {
  productive: (res) =>
    res.body?.errors?.[0]?.status === '500' && /vnd\.api\+json/.test(res.headers.get('content-type') ?? ''),
  togai: (res) => typeof res.body?.message === 'string',
  toggl: (res) => typeof res.body === 'string',
  djaoapp: (res) => typeof res.body?.detail === 'string',
};

interface Step {
  operationId: string;
  params?: Record<string, string>;
  query?: Array<[string, string]>;
  headers?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  status: number;
}

interface Tally {
  steps: number;
  failures: number;
  mostWrites: number;
  /** Steps other than reads that succeeded at once: they made no write to fail. */
  unwritten: string[];
}

/** Where two snapshots first differ, with some context ('none' when they are the same bytes). */
function changeIn(before: string, after: string): string {
  if (before === after) return 'none';
  let at = 0;
  while (before[at] === after[at]) at++;
  return `at byte ${at}: ${before.slice(Math.max(0, at - 80), at + 80)} → ${after.slice(Math.max(0, at - 80), at + 80)}`;
}

async function newestJournalEntry(t: ConformanceTarget): Promise<{ operationId: string; status: number }> {
  return (await t.admin<Array<{ operationId: string; status: number }>>('GET', '/journal?limit=1'))[0]!;
}

/** Runs a step, failing it at every failure point until it succeeds; returns the body of its success. */
async function atomically(t: ConformanceTarget, api: ApiName, step: Step, tally: Tally): Promise<any> {
  const op = t.operation(step.operationId);
  const path = pathOf(op, step.params!);
  const headers = {
    ...step.headers,
    ...(step.body !== undefined && { 'content-type': step.contentType ?? 'application/json' }),
  };
  const body = step.body === undefined ? undefined : JSON.stringify(step.body);
  const before = await stateText(h.origin, t.sandbox);
  tally.steps++;
  for (const n of failurePoints()) {
    failAt = n;
    writes = 0;
    const res = await send(t, op.method.toUpperCase(), path, { headers, body, query: step.query }).finally(
      () => (failAt = 0),
    );
    if (writes < n) {
      expect(res.status, `${step.operationId} ${res.raw.toString().slice(0, 300)}`).toBe(step.status);
      tally.mostWrites = Math.max(tally.mostWrites, n - 1);
      if (n === 1 && op.method !== 'get') tally.unwritten.push(step.operationId);
      return res.body;
    }
    tally.failures++;
    const where = `${api}.${step.operationId} failing at write ${n}`;
    expect(res.status, where).toBe(500);
    expect(vendor500[api](res), `${where}: ${res.raw.toString().slice(0, 300)}`).toBe(true);
    expect(changeIn(before, await stateText(h.origin, t.sandbox)), where).toBe('none');
    expect(await newestJournalEntry(t), where).toMatchObject({ operationId: step.operationId, status: 500 });
  }
}

const JSONAPI = 'application/vnd.api+json';

async function productiveFlow(t: ConformanceTarget, tally: Tally): Promise<void> {
  const auth = facts.productive.valid;
  const created = await atomically(
    t,
    'productive',
    {
      operationId: 'create_price',
      headers: auth,
      contentType: JSONAPI,
      body: productivePriceDocument('Atomic', 1000),
      status: 201,
    },
    tally,
  );
  const id = created.data.id as string;
  await atomically(
    t,
    'productive',
    {
      operationId: 'update_price',
      params: { id },
      headers: auth,
      contentType: JSONAPI,
      body: { data: { type: 'prices', attributes: { rate: 2000, name: 'Atomic 2' } } },
      status: 200,
    },
    tally,
  );
  await atomically(t, 'productive', { operationId: 'list_prices', headers: auth, status: 200 }, tally);
  await atomically(t, 'productive', { operationId: 'delete_price', params: { id }, headers: auth, status: 204 }, tally);
}

async function togaiFlow(t: ConformanceTarget, tally: Tally): Promise<void> {
  const auth = facts.togai.valid;
  const account_id = 'ATOMIC-1';
  const step = (s: Step) => atomically(t, 'togai', { headers: auth, ...s }, tally);
  await step({
    operationId: 'create_account',
    body: {
      id: account_id,
      name: 'Atomic account',
      customerId: 'ATOMIC-C',
      primaryEmail: 'atomic@example.com',
      aliases: ['atomic-a'],
    },
    status: 201,
  });
  /** An operation on the account that answers 200. */
  const onAccount = (operationId: string, body: object) =>
    step({ operationId, params: { account_id }, body, status: 200 });
  const schedule = (pricePlanId: string, effectiveFrom: string, effectiveUntil: string) =>
    onAccount('update_pricing_schedule', { mode: 'ASSOCIATE', pricePlanId, effectiveFrom, effectiveUntil });
  await onAccount('update_account', { name: 'Atomic account renamed' });
  await onAccount('add_aliases', { aliases: ['atomic-b', 'atomic-c'] });
  await schedule('pp.1zYnCiM9Bpg.lv25y', '2030-01-01', '2032-01-01');
  await schedule('pp.20v1Tgjuwlc.O55xo', '2030-06-01', '2031-01-01');
  const proposal = await step({
    operationId: 'create_proposal',
    params: { account_id },
    body: { type: 'WALLET_TOPUP', paymentMode: 'PREPAID', walletTopupDetails: { topupAmount: 5 } },
    status: 200,
  });
  await step({
    operationId: 'update_proposal_status',
    params: { purchase_proposal_id: proposal.id },
    body: { status: 'APPROVE' },
    status: 200,
  });
  await onAccount('remove_aliases', { aliases: ['atomic-a'] });
  await step({ operationId: 'delete_account', params: { account_id }, status: 200 });
}

async function togglFlow(t: ConformanceTarget, tally: Tally): Promise<void> {
  const step = (s: Step) => atomically(t, 'toggl', { headers: facts.toggl.valid, ...s }, tally);
  const workspace_id = '56';
  await step({ operationId: 'post_workspace_customer', params: { workspace_id }, body: usContact, status: 200 });
  await step({
    operationId: 'post_workspace_purchase_order',
    params: { workspace_id },
    body: { user_count: 5 },
    status: 200,
  });
  await step({
    operationId: 'put_organization_subscription',
    params: { organization_id: '56' },
    body: { pricing_plan_tag: 'premium-monthly' },
    status: 200,
  });
  await step({ operationId: 'get_workspace_subscription', params: { workspace_id }, status: 200 });
  await step({
    operationId: 'delete_organization_subscription',
    params: { organization_id: '56' },
    query: [['immediateCancel', 'false']],
    status: 200,
  });
}

async function djaoappFlow(t: ConformanceTarget, tally: Tally): Promise<void> {
  const step = (s: Step) => atomically(t, 'djaoapp', s, tally);
  const login = async (username: string) => ({
    Authorization: `Bearer ${(await step({ operationId: 'auth_login', body: { username, password: 'yoyo' }, status: 201 })).token}`,
  });
  const donny = await login('donny');
  const xia = await login('xia');
  await step({
    operationId: 'auth_register',
    body: { username: 'atomic1', password: 'pw-atomic', email: 'atomic1@example.com', full_name: 'Atom Mic' },
    status: 201,
  });
  await step({ operationId: 'cart_add', headers: xia, body: { plan: 'premium' }, status: 201 });
  await step({
    operationId: 'checkout_create',
    params: { organization: 'xia' },
    headers: xia,
    body: { processor_token: 'tok_visa', remember_card: true },
    status: 200,
  });
  await step({
    operationId: 'billing_transfers_import',
    params: { organization: 'cowork' },
    headers: donny,
    body: {
      subscription: 'xia-open-space',
      created_at: '2018-06-15T00:00:00Z',
      amount: '10.00',
      descr: 'Paid by check',
    },
    status: 200,
  });
  await step({
    operationId: 'contacts_create',
    headers: donny,
    body: { email: 'dana@example.com', full_name: 'Dana Scully', nick_name: 'Dana' },
    status: 201,
  });
  await step({
    operationId: 'users_update',
    params: { user: 'xia' },
    headers: xia,
    body: { full_name: 'Xia Atomic', email: 'xia@localhost.localdomain' },
    status: 200,
  });
}

const FLOWS: Record<ApiName, (t: ConformanceTarget, tally: Tally) => Promise<void>> = {
  productive: productiveFlow,
  togai: togaiFlow,
  toggl: togglFlow,
  djaoapp: djaoappFlow,
};

describe('every request is atomic', () => {
  for (const api of Object.keys(FLOWS) as ApiName[]) {
    it(`${api}: a step failing at any of its writes answers 500 in the vendor's format and changes nothing`, async () => {
      const t = h.target(api);
      await freshSandbox(t);
      const tally: Tally = { steps: 0, failures: 0, mostWrites: 0, unwritten: [] };
      await FLOWS[api](t, tally);
      console.log(
        `atomicity ${api}: ${tally.steps} steps failed ${tally.failures} times at their writes (up to ${tally.mostWrites} writes in a step), state unchanged each time`,
      );
      expect(tally.unwritten, 'steps that wrote nothing').toEqual([]);
      expect(tally.failures).toBeGreaterThan(0);
    });
  }
});

describe('the seed-era leap second (an offline payment dated 2016-12-31T23:59:60Z)', () => {
  it('a handler that recorded the payment, then failed on the date, answers 500 and records nothing', async () => {
    // The handler as it was before dates.bodyInstant: the payment recorded, then the leap second read by
    // JavaScript (an Invalid Date) throws a RangeError on its way out.
    const handlers = djaoapp.handlers;
    const current = handlers.billing_transfers_import!;
    handlers.billing_transfers_import = async (ctx) => {
      const reply = await current({ ...ctx, body: { ...ctx.body, created_at: '2016-12-31T23:59:59Z' } });
      new Date(ctx.body.created_at).toISOString();
      return reply;
    };
    try {
      const t = h.target('djaoapp');
      await freshSandbox(t);
      const login = await send(t, 'POST', '/api/auth/', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'donny', password: 'yoyo' }),
      });
      const before = await stateText(h.origin, t.sandbox);
      const cheque = {
        subscription: 'xia-open-space',
        created_at: '2016-12-31T23:59:60Z',
        amount: '10.00',
        descr: 'Paid by check',
      };
      const res = await send(t, 'POST', '/api/billing/cowork/transfers/import/', {
        headers: { Authorization: `Bearer ${login.body.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(cheque),
      });
      expect(res.status).toBe(500);
      expect(res.body.detail).toMatch(/Invalid time value/);
      expect(changeIn(before, await stateText(h.origin, t.sandbox))).toBe('none');
    } finally {
      handlers.billing_transfers_import = current;
    }
  });
});

describe('a request that awaits half-way', () => {
  const headers = { ...facts.productive.valid, 'content-type': JSONAPI };
  const createPrice = (t: ConformanceTarget, name: string) =>
    send(t, 'POST', '/api/v2/prices', { headers, body: productivePrice(name, 1000) });

  /** create_price as a handler that writes, awaits AWAIT_MS and throws, when the price is named "half-done". */
  const AWAIT_MS = 300;
  async function withHalfDoneCreates(run: () => Promise<void>): Promise<void> {
    const handlers = productive.handlers;
    const current = handlers.create_price!;
    const halfDone: typeof current = async (ctx) => {
      if (ctx.body.data.attributes?.name !== 'half-done') return current(ctx);
      ctx.state.next_price_id += 1000;
      ctx.state.prices.x = { name: 'half-done' } as never;
      await sleep(AWAIT_MS);
      throw new Error('failed after awaiting');
    };
    handlers.create_price = halfDone;
    try {
      await run();
    } finally {
      handlers.create_price = current;
    }
  }

  /** A fresh Productive sandbox, and a half-done create sent to it that is now awaiting half-way. */
  async function halfDoneUnderway(): Promise<{ t: ConformanceTarget; failed: ReturnType<typeof createPrice> }> {
    const t = h.target('productive');
    await freshSandbox(t);
    const failed = createPrice(t, 'half-done');
    await sleep(AWAIT_MS / 3);
    return { t, failed };
  }

  it("runs the sandbox's other requests after it: they neither see its writes nor lose theirs to its rollback", async () => {
    await withHalfDoneCreates(async () => {
      const { t, failed } = await halfDoneUnderway();
      const created = await createPrice(t, 'whole');
      expect((await failed).status).toBe(500);
      expect(created.status).toBe(201);
      const state = (await t.admin<{ apis: { productive: ProductiveState } }>('GET', '/state')).apis.productive;
      expect(state.prices.x).toBeUndefined();
      expect(state.prices[created.body.data.id]?.name).toBe('whole');
      expect(state.next_price_id).toBe(Number(created.body.data.id) + 1);
    });
  });

  it('lets the requests waiting for its turn go one at a time, each with a transaction of its own', async () => {
    await withHalfDoneCreates(async () => {
      const { t, failed } = await halfDoneUnderway();
      const waiting = await Promise.all(['a', 'b', 'c', 'd'].map((name) => createPrice(t, `waiting ${name}`)));
      expect((await failed).status).toBe(500);
      expect(waiting.map((res) => res.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(waiting.map((res) => res.body.data.id)).size).toBe(4);
    });
  });

  it('is not written to --data while it is half-way, nor after its rollback', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'standin-atomic-'));
    const persisted = await Harness.start({ dataDir });
    try {
      await withHalfDoneCreates(async () => {
        const t = persisted.target('productive');
        const file = join(dataDir, `${t.sandbox}.json`);
        // The sandbox made and saved; then a write, so that a flush is due (25 ms later) while the next request is half-way.
        await settle(t, 'productive');
        await sleep(100);
        expect((await createPrice(t, 'whole')).status).toBe(201);
        const failed = createPrice(t, 'half-done');
        await sleep(AWAIT_MS / 2);
        expect(existsSync(file) ? readFileSync(file, 'utf8') : '').not.toContain('half-done');
        expect((await failed).status).toBe(500);
        await persisted.standin.close();
        const saved = readFileSync(file, 'utf8');
        expect(saved).toContain('"whole"');
        expect(saved).not.toContain('half-done');
      });
    } finally {
      await persisted.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('reads', () => {
  it('a read that writes without being listed in writingReads is a bug: 500, and its writes undone', async () => {
    const handlers = productive.handlers;
    const current = handlers.get_price!;
    handlers.get_price = (ctx) => {
      ctx.write.set(['prices', ctx.params.id], { ...ctx.state.prices[ctx.params.id]!, name: 'renamed by a read' });
      return current(ctx);
    };
    try {
      const t = h.target('productive');
      await freshSandbox(t);
      await settle(t, 'productive');
      const before = await stateText(h.origin, t.sandbox);
      const res = await send(t, 'GET', '/api/v2/prices/1', { headers: facts.productive.valid });
      expect(res.status).toBe(500);
      expect(res.body.errors[0].detail).toMatch(
        /GET get_price wrote to the state: list it in the plugin's writingReads/,
      );
      expect(changeIn(before, await stateText(h.origin, t.sandbox))).toBe('none');
    } finally {
      handlers.get_price = current;
    }
  });
});

describe('writes in place', () => {
  it('a handler of an API that names its writes and writes in place instead is a bug: 500, state unchanged', async () => {
    const handlers = productive.handlers;
    const current = handlers.update_price!;
    handlers.update_price = (ctx) => {
      const reply = current(ctx);
      ctx.state.next_price_id = 1;
      return reply;
    };
    try {
      const t = h.target('productive');
      await freshSandbox(t);
      const before = await stateText(h.origin, t.sandbox);
      const res = await send(t, 'PATCH', '/api/v2/prices/1', {
        headers: { ...facts.productive.valid, 'content-type': JSONAPI },
        body: JSON.stringify({ data: { type: 'prices', attributes: { name: 'renamed in place' } } }),
      });
      expect(res.status).toBe(500);
      expect(res.body.errors[0].detail).toMatch(/productive.update_price wrote to the state in place/);
      expect(changeIn(before, await stateText(h.origin, t.sandbox))).toBe('none');
    } finally {
      handlers.update_price = current;
    }
  });
});
