/**
 * Seed 003's examples sent to the mock: every operation with the seed's parameter values (ACC00001, the example
 * nextToken and page size, effectiveOn, the pricing-schedule dates, the purchase and proposal ids), with request
 * bodies taken from the examples of Togai's document where the seed only shows an empty model. They run in
 * order on one sandbox, as a reader of the docs would try them, ending with the delete.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type CallOptions, closedAfterFile, needsStandin } from '../support/target.ts';
import { dateRange, planFor, seedScheduleQuery, togaiTarget } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const acc = { account_id: 'ACC00001' };
/** Calls `operationId` on the seed's account ACC00001, as tenant A. */
const onAcc = (operationId: string, options: CallOptions = {}) =>
  t.call(operationId, { headers: creds.headers, params: acc, ...options });
const NEXT_TOKEN = 'eyJsYXN0SXRlbUlkIjogInN0cmluZyIsICJwYWdlU2l6ZSI6IDEwMCwgInNvcnRPcmRlciI6ICJhc2MifQ==';

/** The address of the seed's account requests (CreateAccountRequest adds its country). */
const seedAddress = {
  phoneNumber: '+919876543210',
  line1: '2281 Broadway Street',
  line2: 'G-31',
  postalCode: '29501',
  city: 'Florence',
  state: 'South Carolina',
};

describe('seed 003 examples', () => {
  beforeEach((ctx) => needsStandin(ctx, "seed 003's records: ACC00001, its aliases, schedule, purchase and proposal"));

  it('get_accounts(next_token, page_size=10): the example token continues after item "string" (nothing sorts after it)', async () => {
    const res = await t.call('get_accounts', {
      headers: creds.headers,
      query: { nextToken: NEXT_TOKEN, pageSize: 10 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], context: { pageSize: 100, sortOrder: 'ASC' } });
    const first = await t.call('get_accounts', { headers: creds.headers, query: { pageSize: 10 } });
    expect(first.body.data.map((a: any) => a.id)).toEqual(['ACC00001', 'G234DZZKBKACATFFGVGEMERFI']);
  });

  it('get_account(ACC00001, effective_on=2013-10-20T19:20:30+01:00, include_group_details=true)', async () => {
    const res = await onAcc('get_account', {
      query: { effectiveOn: '2013-10-20T19:20:30+01:00', includeGroupDetails: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'ACC00001',
      aliases: [{ alias: 'acme_primary' }, { alias: 'acme_1' }],
      invoiceGroupDetails: { id: 'ig.20qHVbNqDwN.x7Jwz' },
    });
  });

  it('create_account with the example CreateAccountRequest (id ACC00001): 400, the id is taken', async () => {
    const res = await t.call('create_account', {
      headers: creds.headers,
      body: {
        id: 'ACC00001',
        name: 'Primary Account',
        customerId: 'C1234qwd',
        aliases: ['acme_primary', 'acme_1'],
        address: { ...seedAddress, country: 'US' },
        primaryEmail: 'admin@example.com',
        settings: [
          { id: 'accountSettingId', value: 'INR', namespace: 'USER', name: 'Settings Name', dataType: 'STRING' },
        ],
        netTermDays: 45,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Account with id ACC00001 already exists' });
  });

  it('update_account(ACC00001) with the example UpdateAccountRequest', async () => {
    const body = {
      name: 'New Account Name',
      primaryEmail: 'admin@example.com',
      address: seedAddress,
    };
    const res = await onAcc('update_account', { body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(body);
  });

  it('add_aliases(ACC00001) with the example values: 400, the example account G234… holds them', async () => {
    const res = await onAcc('add_aliases', {
      body: { aliases: ['account2@acme.com', '+1234567890'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('account2@acme.com');
    const theirs = await t.call('get_account', {
      headers: creds.headers,
      params: { account_id: 'G234DZZKBKACATFFGVGEMERFI' },
    });
    expect(theirs.body.aliases).toEqual([{ alias: 'account2@acme.com' }, { alias: '+1234567890' }]);
  });

  it('list_account_aliases(ACC00001) and remove_aliases with an alias id from it', async () => {
    const list = await onAcc('list_account_aliases');
    expect(list.body.data.map((a: any) => a.value)).toEqual(['acme_primary', 'acme_1']);
    const res = await onAcc('remove_aliases', {
      body: { accountAliases: [{ id: list.body.data[1].id }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.aliases).toEqual([{ alias: 'acme_primary' }]);
  });

  it('update_pricing_schedule(ACC00001) with the example associate and disassociate requests', async () => {
    const associated = await onAcc('update_pricing_schedule', {
      body: { mode: 'ASSOCIATE', ...planFor('pp.1zYnCiM9Bpg.lv25y', '2022-07-04', '2022-10-04') },
    });
    expect(associated.status).toBe(200);
    expect(associated.body.pricingSchedules[0]).toMatchObject({
      pricePlanId: 'pp.1zYnCiM9Bpg.lv25y',
      pricePlanName: 'ENTERPRISE_PLAN',
      startDate: '2022-07-04T00:00:00.000Z',
      endDate: '2022-10-04T00:00:00.000Z',
    });
    const disassociated = await onAcc('update_pricing_schedule', {
      body: { mode: 'DISASSOCIATE', effectiveFrom: '2022-07-04', effectiveUntil: '2022-10-04' },
    });
    expect(disassociated.status).toBe(200);
    expect(disassociated.body.pricingSchedules.map((s: any) => s.id)).toEqual(['sch.4325kbjedsc.34dww']);
  });

  it('update_pricing_schedule_batch(ACC00001, dry_run=false) with the example edits', async () => {
    const res = await onAcc('update_pricing_schedule_batch', {
      query: { dry_run: false },
      body: {
        edits: [
          { mode: 'ASSOCIATE', ...planFor('pp.1zYnCiM9Bpg.lv25y', '2022-07-04', '2022-10-04') },
          { mode: 'DISASSOCIATE', effectiveFrom: '2022-08-04', effectiveUntil: '2022-09-04' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.pricingSchedules.map(dateRange)).toEqual([
      ['2022-07-04', '2022-08-04'],
      ['2022-09-04', '2022-10-04'],
      ['2023-01-01', '9999-01-01'],
    ]);
  });

  it('get_pricing_schedules(ACC00001, page_size=10, start_date=2023-03-30T10:41:10.088499, end_date=2099-…, include_price_plan_info=true, compact=false)', async () => {
    const res = await onAcc('get_pricing_schedules', {
      query: { pageSize: 10, ...seedScheduleQuery },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        id: 'sch.4325kbjedsc.34dww',
        pricePlanInfo: { name: 'ENTERPRISE_PLAN' },
        isOverriden: false,
      }),
    ]);
  });

  it('initiate_one_time_entitlement_plan(ACC00001) with the example purchase-plan and wallet top-up requests', async () => {
    const plan = await onAcc('initiate_one_time_entitlement_plan', {
      body: {
        pricePlanId: 'pp.20txw0FrqjQ.byM8V',
        type: 'ENTITLEMENT_GRANT',
        rateCardQuantities: { 'feature.20txvOAhiIS.m3X3d': 1.2 },
      },
    });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      status: 'SUCCESS',
      price: 120,
      invoiceCurrency: 'USD',
      rateCardQuantities: { 'feature.20txvOAhiIS.m3X3d': 1.2 },
    });
    const detail = await t.call('get_purchase', { headers: creds.headers, params: { purchase_id: plan.body.id } });
    expect(detail.body.features).toEqual([
      expect.objectContaining({
        id: 'feature.20txvOAhiIS.m3X3d',
        name: 'feature1',
        creditsGranted: 120,
        creditsAvailable: 120,
      }),
    ]);
    const topup = await onAcc('initiate_one_time_entitlement_plan', {
      body: { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 50 } },
    });
    expect(topup.body).toMatchObject({ status: 'SUCCESS', type: 'WALLET_TOPUP', price: 50 });
  });

  it('get_purchase(purchase.1zYnCiM9Bpg.lv25y) and list_account_purchases(ACC00001)', async () => {
    const res = await t.call('get_purchase', {
      headers: creds.headers,
      params: { purchase_id: 'purchase.1zYnCiM9Bpg.lv25y' },
    });
    expect(res.body).toMatchObject({
      id: 'purchase.1zYnCiM9Bpg.lv25y',
      pricePlanId: 'pp.20dINmd0lBg.05sKa',
      quantity: 1,
      idempotencyKey: 'AAAAAABBBEEEDDSS23',
      pricePlanVersion: 1,
    });
    const list = await onAcc('list_account_purchases');
    expect(list.body.data.map((p: any) => p.id)).toContain('purchase.1zYnCiM9Bpg.lv25y');
  });

  it('create_proposal(ACC00001) with the example one-time purchase-plan proposal', async () => {
    const res = await onAcc('create_proposal', {
      body: {
        pricePlanId: 'pp.20dINmd0lBg.05sKa',
        type: 'ENTITLEMENT_GRANT',
        paymentMode: 'PREPAID',
        quantity: 1,
        purchasePlanOverride: {
          billingEntitlementRateCards: [
            {
              featureId: 'feature.20jxa18BdUW.d4XQw',
              featureConfigs: [{ featureCreditLimit: 100, effectiveUntil: 'P20D' }],
              invoiceTiming: 'IN_ADVANCE',
              ratePlan: {
                pricingModel: 'TIERED',
                slabs: [{ order: 1, startAfter: 0, priceType: 'PER_UNIT', slabConfig: {} }],
              },
              rateValues: [{ currency: 'USD', slabRates: [{ order: 1, rate: 1, slabRateConfig: {} }] }],
              displayName: 'feature1',
              tag: 'tag 1',
            },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'PROPOSAL_ACTIVE',
      paymentMode: 'PREPAID',
      type: 'ENTITLEMENT_GRANT',
      price: 100,
    });
    const list = await onAcc('list_account_proposals');
    expect(list.body.data.map((p: any) => p.id)).toEqual([res.body.id, 'purchase.20rqjgFJf2O.ejl25']);
  });

  it('get_proposal and update_proposal_status(purchase.20rqjgFJf2O.ejl25, APPROVE)', async () => {
    const before = await t.call('get_proposal', {
      headers: creds.headers,
      params: { purchase_proposal_id: 'purchase.20rqjgFJf2O.ejl25' },
    });
    expect(before.body.status).toBe('PROPOSAL_ACTIVE');
    const res = await t.call('update_proposal_status', {
      headers: creds.headers,
      params: { purchase_proposal_id: 'purchase.20rqjgFJf2O.ejl25' },
      body: { status: 'APPROVE' },
    });
    expect(res.body).toMatchObject({ status: 'PROPOSAL_APPROVED', comment: 'Proposal Approved' });
  });

  it('delete_account(ACC00001)', async () => {
    const res = await onAcc('delete_account');
    expect(res.body).toEqual({ success: true });
    expect((await onAcc('get_account')).body.status).toBe('ARCHIVED');
  });
});
