/** Togai pricing schedules: associate / disassociate price plans over date ranges, batch edits and dry runs, listing. */
import { describe, expect } from 'vitest';
import { closedAfterFile, needsStandin } from '../support/target.ts';
import { dateRange, planFor, seedScheduleQuery, togaiTarget, createAccountWith, itWithNewAccount } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const createAccount = () =>
  createAccountWith(t, creds.headers, 'sched', { name: 'Schedule Account', customerId: 'CUST-SCHED' });
const associate = (id: string, body: Record<string, unknown>) =>
  t.call('update_pricing_schedule', {
    headers: creds.headers,
    params: { account_id: id },
    body: { mode: 'ASSOCIATE', ...body },
  });
/** An edit of a batch: associate a price plan from one date (inclusive) until another (exclusive). */
const associating = (pricePlanId: string, from: string, until: string) => ({
  mode: 'ASSOCIATE',
  ...planFor(pricePlanId, from, until),
});
/** An edit of a batch, or a body of its own: no price plan from one date (inclusive) until another (exclusive). */
const disassociating = (effectiveFrom: string, effectiveUntil: string) => ({
  mode: 'DISASSOCIATE',
  effectiveFrom,
  effectiveUntil,
});
const batch = (id: string, edits: unknown[], dryRun?: boolean) =>
  t.call('update_pricing_schedule_batch', {
    headers: creds.headers,
    params: { account_id: id },
    body: { edits },
    query: dryRun === undefined ? {} : { dry_run: dryRun },
  });
const schedules = (id: string, query: Record<string, string | number | boolean> = {}) =>
  t.call('get_pricing_schedules', { headers: creds.headers, params: { account_id: id }, query });

const it = itWithNewAccount(createAccount);

describe('POST /accounts/{account_id}/price_plans', () => {
  it('associates a price plan for a date range and lists it', async ({ account }) => {
    const res = await associate(account.id, planFor(creds.monthlyPlanId, '2030-01-01', '2031-01-01'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accountId: account.id, accountName: account.name });
    expect(res.body.pricingSchedules).toEqual([
      expect.objectContaining({
        pricePlanId: creds.monthlyPlanId,
        startDate: expect.stringMatching(/^2030-01-01T/),
        endDate: expect.stringMatching(/^2031-01-01T/),
      }),
    ]);
    const listed = await schedules(account.id);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: res.body.pricingSchedules[0].id,
        pricePlanId: creds.monthlyPlanId,
        version: 1,
        isOverriden: false,
      }),
    ]);
  });

  it('splits an ongoing schedule when a plan with the same interval takes over part of it', async ({ account }) => {
    await associate(account.id, planFor(creds.monthlyPlanId, '2030-01-01', '2032-01-01'));
    const res = await associate(account.id, planFor(creds.otherMonthlyPlanId, '2030-06-01', '2031-01-01'));
    expect(res.status).toBe(200);
    expect(
      res.body.pricingSchedules.map((s: any) => [s.pricePlanId, s.startDate.slice(0, 10), s.endDate.slice(0, 10)]),
    ).toEqual([
      [creds.monthlyPlanId, '2030-01-01', '2030-06-01'],
      [creds.otherMonthlyPlanId, '2030-06-01', '2031-01-01'],
      [creds.monthlyPlanId, '2031-01-01', '2032-01-01'],
    ]);
  });

  it('answers 400 when the new plan bills on a different interval than the ongoing one, changing nothing', async ({
    account,
  }) => {
    await associate(account.id, planFor(creds.monthlyPlanId, '2030-01-01', '2032-01-01'));
    const res = await associate(account.id, planFor(creds.annualPlanId, '2030-06-01', '2031-01-01'));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/interval/i);
    expect((await schedules(account.id)).body.data).toHaveLength(1);
  });

  it('disassociates a range, and answers 400 when no plan is scheduled there', async ({ account }) => {
    await associate(account.id, planFor(creds.monthlyPlanId, '2030-01-01', '2031-01-01'));
    const none = await t.call('update_pricing_schedule', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: disassociating('2035-01-01', '2036-01-01'),
    });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/no price plan/i);
    const res = await t.call('update_pricing_schedule', {
      headers: creds.headers,
      params: { account_id: account.id },
      body: disassociating('2030-07-01', '2031-01-01'),
    });
    expect(res.status).toBe(200);
    expect(res.body.pricingSchedules.map((s: any) => s.endDate.slice(0, 10))).toEqual(['2030-07-01']);
  });

  it.for<[string, Record<string, unknown>]>([
    ['no pricePlanId to associate', { effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' }],
    [
      'an unknown price plan',
      { pricePlanId: 'pp.doesNotExist.00000', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' },
    ],
    [
      'a range that ends before it starts',
      { pricePlanId: 'pp.any', effectiveFrom: '2031-01-01', effectiveUntil: '2030-01-01' },
    ],
    [
      'a date-time where a date is expected',
      { pricePlanId: 'pp.any', effectiveFrom: '2030-01-01T00:00:00Z', effectiveUntil: '2031-01-01' },
    ],
    ['a missing effectiveUntil', { pricePlanId: 'pp.any', effectiveFrom: '2030-01-01' }],
    [
      'an unknown mode',
      { mode: 'REPLACE', pricePlanId: 'pp.any', effectiveFrom: '2030-01-01', effectiveUntil: '2031-01-01' },
    ],
  ])('answers 400 for %s', async ([, body], { account }) => {
    const res = await associate(account.id, body);
    expect(res.status).toBe(400);
    expect((await schedules(account.id)).body.data).toEqual([]);
  });

  it('answers 404 for an unknown account', async () => {
    const res = await associate('NO-SUCH-ACCOUNT-7', planFor(creds.monthlyPlanId, '2030-01-01', '2031-01-01'));
    expect(res.status).toBe(404);
  });
});

describe('POST /accounts/{account_id}/edit_schedules', () => {
  it('applies several edits in order', async ({ account }) => {
    const res = await batch(account.id, [
      associating(creds.monthlyPlanId, '2030-07-04', '2030-10-04'),
      disassociating('2030-08-04', '2030-09-04'),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.pricingSchedules.map(dateRange)).toEqual([
      ['2030-07-04', '2030-08-04'],
      ['2030-09-04', '2030-10-04'],
    ]);
    expect((await schedules(account.id)).body.data).toHaveLength(2);
  });

  it('with dry_run=true answers the outcome and stores nothing', async ({ account }) => {
    const res = await batch(account.id, [associating(creds.monthlyPlanId, '2030-01-01', '2031-01-01')], true);
    expect(res.status).toBe(200);
    expect(res.body.pricingSchedules).toHaveLength(1);
    expect((await schedules(account.id)).body.data).toEqual([]);
  });

  it('is all or nothing: a refused edit leaves the earlier ones unapplied (400)', async ({ account }) => {
    const res = await batch(account.id, [
      associating(creds.monthlyPlanId, '2030-01-01', '2031-01-01'),
      disassociating('2040-01-01', '2041-01-01'),
    ]);
    expect(res.status).toBe(400);
    expect((await schedules(account.id)).body.data).toEqual([]);
  });

  it('answers 400 for no edits or more than 10', async ({ account }) => {
    expect((await batch(account.id, [])).status).toBe(400);
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      mode: 'DISASSOCIATE',
      effectiveFrom: `2030-01-${String(i + 1).padStart(2, '0')}`,
      effectiveUntil: '2030-02-01',
    }));
    expect((await batch(account.id, eleven)).status).toBe(400);
  });

  it('answers 404 for an unknown account', async () => {
    expect((await batch('NO-SUCH-ACCOUNT-8', [disassociating('2030-01-01', '2031-01-01')])).status).toBe(404);
  });
});

describe('GET /accounts/{account_id}/pricing_schedules', () => {
  it("answers the seed's example for ACC00001 (start_date/end_date without offset)", async ({ skip }) => {
    needsStandin({ skip }, "the seed's account ACC00001 and its pricing schedule");
    const res = await schedules('ACC00001', seedScheduleQuery);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        id: 'sch.4325kbjedsc.34dww',
        pricePlanId: 'pp.1zYnCiM9Bpg.lv25y',
        pricePlanInfo: { name: 'ENTERPRISE_PLAN' },
        pricePlanDetails: expect.objectContaining({
          supportedCurrencies: ['USD'],
          pricingCycleConfig: expect.objectContaining({ interval: 'MONTHLY' }),
        }),
      }),
    ]);
  });

  it('filters by date range, pages with nextToken, and leaves out plan details with compact=true', async ({
    account,
  }) => {
    await batch(account.id, [
      associating(creds.monthlyPlanId, '2030-01-01', '2030-02-01'),
      associating(creds.otherMonthlyPlanId, '2030-02-01', '2030-03-01'),
      associating(creds.monthlyPlanId, '2030-03-01', '2030-04-01'),
    ]);
    const inFebruary = await schedules(account.id, { start_date: '2030-02-10', end_date: '2030-02-20' });
    expect(inFebruary.body.data.map((s: any) => s.pricePlanId)).toEqual([creds.otherMonthlyPlanId]);
    const first = await schedules(account.id, { pageSize: 2, compact: true });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0].pricePlanDetails).toBeUndefined();
    const second = await schedules(account.id, { nextToken: first.body.nextToken });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextToken).toBeUndefined();
    expect(second.body.data[0].startDate).toMatch(/^2030-03-01/);
  });

  it('answers 400 for a start_date that is not a date and for a bad nextToken', async ({ account }) => {
    expect((await schedules(account.id, { start_date: 'soon' })).status).toBe(400);
    expect((await schedules(account.id, { nextToken: '%%%' })).status).toBe(400);
  });

  it('answers 404 for an unknown account', async () => {
    expect((await schedules('NO-SUCH-ACCOUNT-9')).status).toBe(404);
  });
});
