/**
 * DjaoApp metrics (mock only: the scenarios write a known business into the sandbox through the admin API).
 *
 * cowork's business, at a sandbox clock frozen at 2025-04-16 (before today, so the sign-ins made at the start stay
 * valid): xia subscribes to open-space from 2024-11-01 and is billed 10000 cents on the first of each month, paid an
 * hour later; joe-co has premium from 2025-02-15 to 2025-03-15, billed 5000 cents that it never pays (written off on
 * 2025-04-05); ann-co orders April's open-space (8000 cents) on 2025-03-20, pays it the next day and is refunded
 * 2000 cents on 2025-04-10. Nothing renews.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { needsStandin, onStandin } from '../support/target.ts';
import { refundLine, writeOffLine, type TransactionRecord } from '../../server/apis/djaoapp/model/ledger.ts';
import { chargeCard, postOrderLine } from '../../server/apis/djaoapp/model/payments.ts';
import type { DjaoappState, SubscriptionRecord } from '../../server/apis/djaoapp/state.ts';
import { billingWorldOfFile, describeAt, describeEditedAt, editState, resetAt } from './billing-world.ts';
import { coworkMetrics } from './support/metrics.ts';

const STANDIN_ONLY = 'ledger records and subscriptions written through the admin API at a frozen clock';

const NOW = '2025-04-16T00:00:00Z';
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const card = { token: 'tok_visa', last4: '4242', exp_date: '12/2030', card_name: null };

const w = await billingWorldOfFile();

/** A provider's metrics (/api/metrics/{organization}/...): its tables and its lists of subscriptions. */
const PROVIDER_METRICS = [
  'metrics_balances',
  'metrics_funds',
  'metrics_customers',
  'metrics_plans',
  'metrics_active_list',
  'metrics_churned_list',
];

function subscription(
  state: DjaoappState,
  id: number,
  organization: string,
  plan: string,
  created_at: string,
  ends_at: string,
): SubscriptionRecord {
  const sub = {
    id,
    organization,
    plan,
    created_at,
    ends_at,
    auto_renew: false,
    description: null,
    extra: null,
    grant_key: null,
    request_key: null,
  };
  state.subscriptions.push(sub);
  return sub;
}

function order(
  state: DjaoappState,
  sub: SubscriptionRecord,
  start: string,
  end: string,
  amount: number,
  orderedAt = start,
): TransactionRecord {
  return postOrderLine(state, new Date(orderedAt), {
    provider: 'cowork',
    subscriber: sub.organization,
    subscription: sub.id,
    start,
    end,
    amount,
    unit: 'usd',
    descr: `${sub.plan} from ${start}`,
  });
}

const pay = (state: DjaoappState, line: TransactionRecord, at: string) =>
  chargeCard(state, new Date(at), line.dest_organization, [line.id], card);

/** The fixtures with cowork's business above in place of their subscriptions and ledger. */
async function business(): Promise<void> {
  await resetAt(w.t, NOW);
  await editState(w.t, (s) => {
    const xiaProfile = s.profiles.find((p) => p.slug === 'xia')!;
    s.profiles.push({
      ...xiaProfile,
      slug: 'joe-co',
      full_name: 'Joe Co',
      email: 'joe@example.com',
      type: 'organization',
    });
    s.profiles.push({
      ...xiaProfile,
      slug: 'ann-co',
      full_name: 'Ann Co',
      email: 'ann@example.com',
      type: 'organization',
    });
    s.subscriptions = [];
    s.transactions = [];
    s.charges = [];
    s.renewals_at = NOW;
    const xia = subscription(s, 11, 'xia', 'open-space', '2024-11-01T00:00:00Z', '2025-05-01T00:00:00Z');
    const joe = subscription(s, 12, 'joe-co', 'premium', '2025-02-15T00:00:00Z', '2025-03-15T00:00:00Z');
    const ann = subscription(s, 13, 'ann-co', 'open-space', '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z');
    for (const [start, end] of [
      ['2024-11', '2024-12'],
      ['2024-12', '2025-01'],
      ['2025-01', '2025-02'],
      ['2025-02', '2025-03'],
      ['2025-03', '2025-04'],
      ['2025-04', '2025-05'],
    ]) {
      const line = order(s, xia, `${start}-01T00:00:00Z`, `${end}-01T00:00:00Z`, 10000);
      pay(s, line, `${start}-01T01:00:00Z`);
    }
    const joeLine = order(s, joe, '2025-02-15T00:00:00Z', '2025-03-15T00:00:00Z', 5000);
    writeOffLine(s, new Date('2025-04-05T00:00:00Z'), joeLine, 'Balance written off');
    const annLine = order(s, ann, '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z', 8000, '2025-03-20T00:00:00Z');
    const charge = pay(s, annLine, '2025-03-21T00:00:00Z');
    refundLine(s, new Date('2025-04-10T00:00:00Z'), annLine, 2000, charge.processor_key, 'Refund');
  });
}

/** The first of each month from `from` (YYYY-MM) for `count` months, as the series write them. */
function firsts(from: string, count: number): string[] {
  const [year, month] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(year, month - 1 + i, 1)).toISOString().replace('.000Z', 'Z'),
  );
}

const row = (body: any, key: string, part = 'table') => body[part].find((r: any) => r.key === key);
const numbers = (body: any, key: string, part = 'table') =>
  row(body, key, part).values.map(([, v]: [string, number]) => v);
const zeros = (n: number) => Array<number>(n).fill(0);

describe("a provider's 12-month tables", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeAll(onStandin(business));

  it('balances: Income earned, Backlog paid in advance and Receivable unpaid, at the first of each month then now', async () => {
    const res = await coworkMetrics(w, 'metrics_balances');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Balances', scale: 0.01, unit: 'usd' });
    expect(res.body.table.map((r: any) => r.key)).toEqual(['Income', 'Backlog', 'Receivable']);
    expect(row(res.body, 'Income').values.map(([at]: [string]) => at)).toEqual([...firsts('2024-05', 12), NOW]);
    // A month is earned as it goes by: xia's April is half earned on the 16th, and so is ann's prepaid April.
    expect(numbers(res.body, 'Income')).toEqual([...zeros(7), 10000, 20000, 30000, 40000, 50000, 59000]);
    expect(numbers(res.body, 'Backlog')).toEqual([...zeros(11), 8000, 9000]);
    // joe-co's premium is receivable from February 15th until it is written off on April 5th.
    expect(numbers(res.body, 'Receivable')).toEqual([...zeros(10), 5000, 5000, 0]);
  });

  it('funds: sales, new and churned sales, payments and refunds over each month, reported at its end', async () => {
    const res = await w.t.call('metrics_funds', { params: { organization: 'cowork' }, headers: w.alice });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Amount', scale: 0.01, unit: 'usd' });
    expect(res.body.table.map((r: any) => r.key)).toEqual([
      'Total Sales',
      'New Sales',
      'Churned Sales',
      'Payments',
      'Refunds',
    ]);
    expect(row(res.body, 'Total Sales').values.map(([at]: [string]) => at)).toEqual([...firsts('2024-06', 11), NOW]);
    expect(numbers(res.body, 'Total Sales')).toEqual([...zeros(6), 10000, 10000, 10000, 15000, 18000, 10000]);
    expect(numbers(res.body, 'New Sales')).toEqual([...zeros(6), 10000, 0, 0, 5000, 8000, 0]);
    // joe-co was billed in February and not in March: March lost its 5000.
    expect(numbers(res.body, 'Churned Sales')).toEqual([...zeros(10), 5000, 0]);
    expect(numbers(res.body, 'Payments')).toEqual([...zeros(6), 10000, 10000, 10000, 10000, 18000, 10000]);
    expect(numbers(res.body, 'Refunds')).toEqual([...zeros(11), 2000]);
  });

  it('customers: those billed each month, gained and lost since the month before, and the churn rate', async () => {
    const res = await coworkMetrics(w, 'metrics_customers');
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Customers');
    expect(res.body).not.toHaveProperty('scale');
    expect(numbers(res.body, 'Total # of Customers')).toEqual([...zeros(6), 1, 1, 1, 2, 2, 1]);
    expect(numbers(res.body, '# of new Customers')).toEqual([...zeros(6), 1, 0, 0, 1, 1, 0]);
    expect(numbers(res.body, '# of churned Customers')).toEqual([...zeros(10), 1, 0]);
    expect(numbers(res.body, 'Net New Customers')).toEqual([...zeros(6), 1, 0, 0, 1, 0, 0]);
    expect(numbers(res.body, '% Customer Churn', 'extra')).toEqual([...zeros(10), 50, 0]);
  });

  it('plans: active subscribers of each plan at each point, and the subscriptions that ended since the last', async () => {
    const res = await coworkMetrics(w, 'metrics_plans');
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Active Subscribers');
    expect(row(res.body, 'open-space')).toMatchObject({ is_active: true, location: '/profile/plan/open-space/' });
    expect(numbers(res.body, 'open-space')).toEqual([...zeros(6), 1, 1, 1, 1, 1, 2, 2]);
    expect(numbers(res.body, 'premium')).toEqual([...zeros(10), 1, 0, 0]);
    expect(numbers(res.body, 'churn', 'extra')).toEqual([...zeros(11), 1, 0]);
  });

  it('ends_at moves the end of a series; an unparseable one is now', async () => {
    const res = await coworkMetrics(w, 'metrics_funds', { ends_at: '2025-03-10T00:00:00Z' });
    expect(row(res.body, 'Total Sales').values.at(-1)).toEqual(['2025-03-10T00:00:00Z', 10000]);
    expect(row(res.body, 'Total Sales').values[0][0]).toBe('2024-05-01T00:00:00Z');
    const garbled = await coworkMetrics(w, 'metrics_funds', { ends_at: 'soon' });
    expect(row(garbled.body, 'Total Sales').values.at(-1)[0]).toBe(NOW);
  });

  it('ends_at is an ISO date as djaodjin reads it: a year past 9999 or a loose "2024" is now, never a 5xx', async () => {
    for (const ends_at of ['10000-01-01', '+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '2024', 'Jan 1 2024']) {
      const res = await coworkMetrics(w, 'metrics_balances', { ends_at });
      expect(res.status, ends_at).toBe(200);
      expect(row(res.body, 'Income').values.at(-1)[0], ends_at).toBe(NOW);
    }
  });

  it('only managers of the provider or of the broker read them: 403 for xia, 404 for an unknown profile', async () => {
    for (const op of PROVIDER_METRICS) {
      const res = await w.t.call(op, { params: { organization: 'cowork' }, headers: w.xia });
      expect(res.status, op).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
      expect((await w.t.call(op, { params: { organization: 'nobody-here' }, headers: w.donny })).status, op).toBe(404);
    }
    // xia manages her own profile: it sells nothing, so its tables are all zeros.
    const own = await w.t.call('metrics_funds', { params: { organization: 'xia' }, headers: w.xia });
    expect(own.status).toBe(200);
    expect(own.body.table.flatMap((r: any) => r.values.map(([, v]: [string, number]) => v))).toEqual(zeros(60));
  });
});

describe('the series follow the sandbox clock', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeAll(onStandin(business));

  it('a month later, every series has moved one month: April is complete and May has begun', async () => {
    await w.t.admin('POST', '/clock', { advance: 'P1M' });
    const later = '2025-05-16T00:00:00Z';
    const funds = await coworkMetrics(w, 'metrics_funds');
    expect(row(funds.body, 'Total Sales').values.map(([at]: [string]) => at)).toEqual([
      ...firsts('2024-07', 11),
      later,
    ]);
    expect(numbers(funds.body, 'Total Sales')).toEqual([...zeros(5), 10000, 10000, 10000, 15000, 18000, 10000, 0]);
    expect(numbers(funds.body, 'Refunds')).toEqual([...zeros(10), 2000, 0]);
    const customers = await coworkMetrics(w, 'metrics_customers');
    // Customers are who was billed: ann-co, billed in March for April, was not billed in April (lost, 1 of 2); xia,
    // billed from April 1st to 16th and not from May 1st to 16th, is lost too (1 of 1).
    expect(numbers(customers.body, '# of churned Customers')).toEqual([...zeros(9), 1, 1, 1]);
    expect(numbers(customers.body, '% Customer Churn', 'extra')).toEqual([...zeros(9), 50, 50, 100]);
    const balances = await coworkMetrics(w, 'metrics_balances');
    expect(numbers(balances.body, 'Income').slice(-3)).toEqual([50000, 68000, 68000]);
    expect(numbers(balances.body, 'Backlog').slice(-3)).toEqual([8000, 0, 0]);
    // Both open-space subscriptions ended on May 1st (no renewal): gone from the May 1st point, churned by it.
    const plans = await coworkMetrics(w, 'metrics_plans');
    expect(numbers(plans.body, 'open-space').slice(-3)).toEqual([2, 0, 0]);
    expect(numbers(plans.body, 'churn', 'extra').slice(-3)).toEqual([1, 2, 0]);
  });

  it('another month later, April is the second-to-last full month', async () => {
    await w.t.admin('POST', '/clock', { advance: 'P1M' });
    const funds = await coworkMetrics(w, 'metrics_funds');
    expect(row(funds.body, 'Total Sales').values.at(-3)).toEqual(['2025-05-01T00:00:00Z', 10000]);
    expect(numbers(funds.body, 'Total Sales').slice(-2)).toEqual([0, 0]);
    const ends = await coworkMetrics(w, 'metrics_funds', { ends_at: NOW });
    expect(numbers(ends.body, 'Total Sales')).toEqual([...zeros(6), 10000, 10000, 10000, 15000, 18000, 10000]);
  });
});

describe('active and churned subscriptions', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeAll(onStandin(business));
  const slugs = (body: any) => body.results.map((s: any) => `${s.organization.slug}:${s.plan.slug}`);

  it('active now: xia and ann-co on open-space, as the subscription lists render them', async () => {
    const res = await coworkMetrics(w, 'metrics_active_list', { o: 'created_at', ot: 'desc' });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(slugs(res.body)).toEqual(['ann-co:open-space', 'xia:open-space']);
    expect(res.body.results[1]).toMatchObject({
      created_at: '2024-11-01T00:00:00Z',
      ends_at: '2025-05-01T00:00:00Z',
      auto_renew: false,
      editable: true,
      organization: { printable_name: 'Xia Lee' },
    });
  });

  it('active at ends_at (March 1st: xia and joe-co), created since start_at, searched by q', async () => {
    const march = await coworkMetrics(w, 'metrics_active_list', { ends_at: '2025-03-01T00:00:00Z' });
    expect(slugs(march.body)).toEqual(['joe-co:premium', 'xia:open-space']);
    const recent = await coworkMetrics(w, 'metrics_active_list', {
      ends_at: '2025-03-01T00:00:00Z',
      start_at: '2025-01-01T00:00:00Z',
    });
    expect(slugs(recent.body)).toEqual(['joe-co:premium']);
    const searched = await coworkMetrics(w, 'metrics_active_list', { q: 'ann' });
    expect(slugs(searched.body)).toEqual(['ann-co:open-space']);
    const garbled = await coworkMetrics(w, 'metrics_active_list', { start_at: 'whenever' });
    expect(garbled.body.count).toBe(0);
  });

  it('churned: joe-co ended on March 15th, after start_at and by ends_at', async () => {
    const res = await coworkMetrics(w, 'metrics_churned_list');
    expect(res.status).toBe(200);
    expect(slugs(res.body)).toEqual(['joe-co:premium']);
    expect(res.body.results[0].ends_at).toBe('2025-03-15T00:00:00Z');
    const count = async (query: Record<string, string>) =>
      (await coworkMetrics(w, 'metrics_churned_list', query)).body.count;
    expect(await count({ start_at: '2025-03-14T23:59:59Z', ends_at: '2025-03-15T00:00:00Z' })).toBe(1);
    expect(await count({ start_at: '2025-03-15T00:00:00Z' })).toBe(0);
    expect(await count({ ends_at: '2025-03-14T23:59:59Z' })).toBe(0);
    // An unparseable date counts as now.
    expect(await count({ start_at: 'last spring' })).toBe(0);
  });

  it('unsubscribing moves a subscriber from active to churned', async () => {
    expect(
      (
        await w.t.call('subscription_destroy', {
          params: { organization: 'xia', subscribed_plan: 'open-space' },
          headers: w.xia,
        })
      ).status,
    ).toBe(204);
    const active = await coworkMetrics(w, 'metrics_active_list');
    expect(slugs(active.body)).toEqual(['ann-co:open-space']);
    const churned = await coworkMetrics(w, 'metrics_churned_list', { o: 'ends_at' });
    expect(slugs(churned.body)).toEqual(['joe-co:premium', 'xia:open-space']);
    expect(churned.body.results[1].ends_at).toBe(NOW);
    const plans = await coworkMetrics(w, 'metrics_plans');
    expect(numbers(plans.body, 'open-space').at(-1)).toBe(1);
    expect(numbers(plans.body, 'churn', 'extra').at(-1)).toBe(1);
  });
});

/** Cart items with a coupon: alice's DIS100 and donny's DIS50 checked out, donny's DIS100 still in his cart. */
function couponUses(s: DjaoappState): void {
  const item = { full_name: null, email: null, sync_on: null, option: 1 };
  s.cart_items.push(
    {
      ...item,
      id: 20,
      user: 'alice',
      plan: 'premium',
      coupon: 'DIS100',
      created_at: '2025-02-01T00:00:00Z',
      recorded_at: '2025-02-01T00:05:00Z',
    },
    {
      ...item,
      id: 21,
      user: 'donny',
      plan: 'premium',
      coupon: 'DIS100',
      created_at: '2025-03-01T00:00:00Z',
      recorded_at: null,
    },
    {
      ...item,
      id: 22,
      user: 'donny',
      plan: 'open-space',
      coupon: 'DIS50',
      created_at: '2025-03-01T00:00:00Z',
      recorded_at: '2025-03-01T00:00:00Z',
    },
  );
}

describeEditedAt(w, 'coupon uses', NOW, STANDIN_ONLY, couponUses, () => {
  it("lists the checked-out cart items that used the code (not those still in a cart, not another code's)", async () => {
    const res = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'DIS100' },
      query: { o: 'created_at', ot: 'desc' },
      headers: w.donny,
    });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.results[0]).toEqual({
      created_at: '2025-02-01T00:00:00Z',
      user: {
        slug: 'alice',
        email: 'alice@djaodjin.com',
        full_name: 'Alice Cooper',
        created_at: '2014-01-01T00:00:00Z',
      },
      plan: 'premium',
      option: 1,
      full_name: null,
      sync_on: null,
    });
    expect(res.body.results[1]).toMatchObject({
      user: { slug: 'xia' },
      plan: 'basic',
      created_at: '2014-01-01T09:00:00Z',
    });
  });

  it('q searches the user and the plan; start_at bounds when', async () => {
    const q = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'DIS100' },
      query: { q: 'cooper' },
      headers: w.donny,
    });
    expect(q.body.results.map((r: any) => r.user.slug)).toEqual(['alice']);
    const since = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'DIS100' },
      query: { start_at: '2020-01-01T00:00:00Z' },
      headers: w.donny,
    });
    expect(since.body.count).toBe(1);
  });

  it('an unknown code is 404; xia, no manager of cowork, is 403', async () => {
    const unknown = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'NOPE' },
      headers: w.donny,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Not found.' });
    const xia = await w.t.call('metrics_coupon_uses_list', {
      params: { organization: 'cowork', coupon: 'DIS100' },
      headers: w.xia,
    });
    expect(xia.status).toBe(403);
  });
});

describeAt(w, 'registered users: the top of the funnel', NOW, STANDIN_ONLY, () => {
  const slugs = (body: any) => body.results.map((u: any) => u.slug);

  it('users with no role, or roles only on profiles that never subscribed (xia manages a subscriber)', async () => {
    const res = await w.t.call('metrics_registered_list', { query: { o: 'created_at', ot: 'desc' }, headers: w.donny });
    expect(res.status).toBe(200);
    expect(slugs(res.body)).toEqual(['joe1', 'alice', 'donny']);
    expect(res.body.results[1]).toEqual({
      slug: 'alice',
      email: 'alice@djaodjin.com',
      full_name: 'Alice Cooper',
      created_at: '2014-01-01T00:00:00Z',
    });
  });

  it('q, start_at and ends_at filter them', async () => {
    const q = await w.t.call('metrics_registered_list', { query: { q: 'donny' }, headers: w.donny });
    expect(slugs(q.body)).toEqual(['donny']);
    const before = await w.t.call('metrics_registered_list', {
      query: { ends_at: '2019-01-01T00:00:00Z' },
      headers: w.donny,
    });
    expect(slugs(before.body)).toEqual(['alice', 'donny']);
  });

  it('once cowork subscribes to something, its managers leave the funnel', async () => {
    await editState(w.t, (s) => {
      s.subscriptions.push({
        id: 30,
        organization: 'cowork',
        plan: 'managed',
        created_at: NOW,
        ends_at: '2025-05-16T00:00:00Z',
        auto_renew: false,
        description: null,
        extra: null,
        grant_key: null,
        request_key: null,
      });
    });
    const res = await w.t.call('metrics_registered_list', { headers: w.donny });
    expect(slugs(res.body)).toEqual(['joe1']);
  });

  it('broker managers only', async () => {
    const res = await w.t.call('metrics_registered_list', { headers: w.xia });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
  });
});

describe("the broker's balance sheets", () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeAll(onStandin(business));
  const lines = async () =>
    (await w.t.call('metrics_balance_lines_list', { params: { report: 'taxes' }, headers: w.donny })).body.results;

  it('the taxes sheet: its Sales row sums every Receivable account, quarter by quarter over a year, then now', async () => {
    const res = await w.t.call('metrics_balance_sheet_retrieve', { params: { report: 'taxes' }, headers: w.donny });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Balances: taxes', scale: 0.01, unit: 'usd' });
    expect(res.body.table).toHaveLength(1);
    expect(res.body.table[0]).toMatchObject({ key: 'Sales', selector: 'Receivable' });
    const [points, values] = [
      res.body.table[0].values.map(([at]: [string]) => at),
      res.body.table[0].values.map(([, v]: [string, number]) => v),
    ];
    expect(points).toEqual([
      '2024-04-01T00:00:00Z',
      '2024-07-01T00:00:00Z',
      '2024-10-01T00:00:00Z',
      '2025-01-01T00:00:00Z',
      '2025-04-01T00:00:00Z',
      NOW,
    ]);
    // What cowork has left to receive: every line ordered by January 1st was paid; by April 1st 63000 was ordered and
    // 58000 paid.
    expect(values).toEqual([0, 0, 0, 0, 5000, 5000]);
  });

  it('ends_at in the first years of the calendar: the quarters before it, year 0 included (no 1900s)', async () => {
    const res = await w.t.call('metrics_balance_sheet_retrieve', {
      params: { report: 'taxes' },
      query: { ends_at: '0001-03-15' },
      headers: w.donny,
    });
    expect(res.status).toBe(200);
    expect(res.body.table[0].values).toEqual([
      ['0000-03-01T00:00:00Z', 0],
      ['0000-06-01T00:00:00Z', 0],
      ['0000-09-01T00:00:00Z', 0],
      ['0000-12-01T00:00:00Z', 0],
      ['0001-03-01T00:00:00Z', 0],
      ['0001-03-15T00:00:00Z', 0],
    ]);
  });

  it('rows: a POST at an existing rank shifts the others down; a duplicate title is 400 and changes nothing', async () => {
    const created = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'taxes' },
      headers: w.donny,
      body: { title: 'Backlog', selector: 'Backlog', rank: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ title: 'Backlog', selector: 'Backlog', rank: 1 });
    expect(await lines()).toEqual([
      { title: 'Backlog', selector: 'Backlog', rank: 1 },
      { title: 'Sales', selector: 'Receivable', rank: 2 },
    ]);
    const duplicate = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'taxes' },
      headers: w.donny,
      body: { title: 'Sales', rank: 1 },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual({ title: ['The report already has a row titled "Sales".'] });
    expect(await lines()).toHaveLength(2);
    const far = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'taxes' },
      headers: w.donny,
      body: { title: 'Payable', selector: 'Payable', rank: 40 },
    });
    expect(far.body.rank).toBe(3);
  });

  it('the sheet shows the rows by rank, each with its own balances', async () => {
    const res = await w.t.call('metrics_balance_sheet_retrieve', { params: { report: 'taxes' }, headers: w.donny });
    expect(res.body.table.map((r: any) => r.key)).toEqual(['Backlog', 'Sales', 'Payable']);
    expect(res.body.table[0].values.map(([, v]: [string, number]) => v)).toEqual([0, 0, 0, 20000, 58000, 68000]);
    // What is owed at each point: joe-co's 5000 from February 15th to April 5th.
    expect(res.body.table[2].values.map(([, v]: [string, number]) => v)).toEqual([0, 0, 0, 0, 5000, 0]);
  });

  it("PUT renames and moves a row; another row's title is 400", async () => {
    const moved = await w.t.call('metrics_balance_line_update', {
      params: { report: 'taxes', rank: 3 },
      headers: w.donny,
      body: { title: 'Owed', rank: 1 },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ title: 'Owed', selector: 'Payable', rank: 1 });
    expect((await lines()).map((l: any) => `${l.rank}:${l.title}`)).toEqual(['1:Owed', '2:Backlog', '3:Sales']);
    const clash = await w.t.call('metrics_balance_line_update', {
      params: { report: 'taxes', rank: 1 },
      headers: w.donny,
      body: { title: 'Sales', rank: 1 },
    });
    expect(clash.status).toBe(400);
    expect((await lines()).map((l: any) => l.title)).toEqual(['Owed', 'Backlog', 'Sales']);
  });

  it('DELETE is 204, the rows below move up, and the last rank is then 404', async () => {
    expect(
      (await w.t.call('metrics_balance_line_destroy', { params: { report: 'taxes', rank: 1 }, headers: w.donny }))
        .status,
    ).toBe(204);
    expect((await lines()).map((l: any) => `${l.rank}:${l.title}`)).toEqual(['1:Backlog', '2:Sales']);
    expect(
      (await w.t.call('metrics_balance_line_retrieve', { params: { report: 'taxes', rank: 3 }, headers: w.donny }))
        .status,
    ).toBe(404);
    expect(
      (await w.t.call('metrics_balance_line_destroy', { params: { report: 'taxes', rank: 3 }, headers: w.donny }))
        .status,
    ).toBe(404);
    expect(
      (await w.t.call('metrics_balance_line_retrieve', { params: { report: 'taxes', rank: 2 }, headers: w.donny }))
        .body,
    ).toEqual({ title: 'Sales', selector: 'Receivable', rank: 2 });
  });

  it('a report with no rows: an empty sheet and an empty list; bad input is 400', async () => {
    const sheet = await w.t.call('metrics_balance_sheet_retrieve', { params: { report: 'nothing' }, headers: w.donny });
    expect(sheet.body).toEqual({ title: 'Balances: nothing', scale: 0.01, unit: 'usd', table: [] });
    const missing = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'nothing' },
      headers: w.donny,
      body: { selector: 'Funds' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ title: ['This field is required.'], rank: ['This field is required.'] });
    const zero = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'nothing' },
      headers: w.donny,
      body: { title: 'Funds', rank: 0 },
    });
    expect(zero.status).toBe(400);
    expect(zero.body).toHaveProperty('rank');
    expect(
      (await w.t.call('metrics_balance_lines_list', { params: { report: 'nothing' }, headers: w.donny })).body.count,
    ).toBe(0);
  });

  it('broker managers only', async () => {
    for (const [op, params] of [
      ['metrics_balance_sheet_retrieve', { report: 'taxes' }],
      ['metrics_balance_lines_list', { report: 'taxes' }],
      ['metrics_balance_line_retrieve', { report: 'taxes', rank: 1 }],
    ] as const) {
      const res = await w.t.call(op, { params, headers: w.xia });
      expect(res.status, op).toBe(403);
    }
    const post = await w.t.call('metrics_balance_lines_create', {
      params: { report: 'taxes' },
      headers: w.xia,
      body: { title: 'Mine', rank: 1 },
    });
    expect(post.status).toBe(403);
    expect(await lines()).toHaveLength(2);
  });
});
