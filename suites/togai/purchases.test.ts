/** Togai purchases and proposals: entitlement grants, associations, wallet top-ups, idempotency, the proposal lifecycle. */
import { describe, expect } from 'vitest';
import { closedAfterFile, expectStatus, needsStandin, targetIsStandin } from '../support/target.ts';
import { planFor, togaiTarget, expectSeedRecord, createAccountWith, itWithNewAccount } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const createAccount = () =>
  createAccountWith(t, creds.headers, 'buy', {
    name: 'Buying Account',
    customerId: 'CUST-BUY',
    invoiceCurrency: 'USD',
  });
const purchase = (id: string, body: Record<string, unknown>) =>
  t.call('initiate_one_time_entitlement_plan', { headers: creds.headers, params: { account_id: id }, body });
const propose = (id: string, body: Record<string, unknown>) =>
  t.call('create_proposal', {
    headers: creds.headers,
    params: { account_id: id },
    body: { paymentMode: 'PREPAID', ...body },
  });
const answer = (id: string, status: string) =>
  t.call('update_proposal_status', { headers: creds.headers, params: { purchase_proposal_id: id }, body: { status } });
const getProposal = (id: string) =>
  t.call('get_proposal', { headers: creds.headers, params: { purchase_proposal_id: id } });
const getPurchase = (id: string, headers = creds.headers) =>
  t.call('get_purchase', { headers, params: { purchase_id: id } });

const it = itWithNewAccount(createAccount);

describe('POST /accounts/{account_id}/purchases', () => {
  it('buys entitlements of a purchase plan: credits per feature, priced per credit (200)', async ({ account }) => {
    const res = await purchase(account.id, {
      pricePlanId: creds.purchasePlanId,
      type: 'ENTITLEMENT_GRANT',
      rateCardQuantities: { [creds.featureId]: 1.2 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accountId: account.id,
      pricePlanId: creds.purchasePlanId,
      type: 'ENTITLEMENT_GRANT',
      status: 'SUCCESS',
    });
    expect(res.body.id).toMatch(/^purchase\./);
    const detail = await getPurchase(res.body.id);
    expect(detail.status).toBe(200);
    if (targetIsStandin) {
      expect(res.body).toMatchObject({ price: 120, invoiceCurrency: 'USD' });
      expect(detail.body.features).toEqual([
        expect.objectContaining({ id: creds.featureId, creditsGranted: 120, creditsAvailable: 120 }),
      ]);
      expect(detail.body.purchasePlan).toMatchObject({ supportedCurrencies: ['USD'] });
    }
  });

  it('defaults the type to ENTITLEMENT_GRANT', async ({ account }) => {
    const res = await purchase(account.id, { pricePlanId: creds.purchasePlanId });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('ENTITLEMENT_GRANT');
  });

  it('returns the first purchase again for a repeated idempotencyKey, creating nothing new', async ({ account }) => {
    const key = `key-${account.id}`;
    const first = await purchase(account.id, { pricePlanId: creds.purchasePlanId, idempotencyKey: key });
    const second = await purchase(account.id, { pricePlanId: creds.purchasePlanId, idempotencyKey: key });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const listed = await t.call('list_account_purchases', {
      headers: creds.headers,
      params: { account_id: account.id },
    });
    expect(listed.body.data.map((p: any) => p.id)).toEqual([first.body.id]);
  });

  it('tops up the wallet; the purchase amount defaults to the top-up amount', async ({ account }) => {
    const res = await purchase(account.id, { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 50 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 50 } });
    if (targetIsStandin) expect(res.body.price).toBe(50);
  });

  it('associates a billing plan through an ASSOCIATION purchase: it appears on the pricing schedule', async ({
    account,
  }) => {
    const res = await purchase(account.id, {
      type: 'ASSOCIATION',
      ...planFor(creds.monthlyPlanId, '2030-01-01', '2031-01-01'),
    });
    expect(res.status).toBe(200);
    const schedules = await t.call('get_pricing_schedules', {
      headers: creds.headers,
      params: { account_id: account.id },
    });
    expect(schedules.body.data.map((s: any) => s.pricePlanId)).toEqual([creds.monthlyPlanId]);
  });

  it.for<[string, Record<string, unknown>]>([
    ['no pricePlanId for an entitlement grant', { type: 'ENTITLEMENT_GRANT' }],
    ['an unknown price plan', { pricePlanId: 'pp.doesNotExist.00000' }],
    ['a wallet top-up without walletTopupDetails', { type: 'WALLET_TOPUP' }],
    ['a zero top-up', { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 0 } }],
    ['an unknown type', { type: 'GIFT', pricePlanId: 'pp.x' }],
    ['a quantity that is not an integer', { pricePlanId: 'pp.x', quantity: 1.5 }],
    ['an unknown field', { pricePlanId: 'pp.x', colour: 'red' }],
  ])('answers 400 for %s, buying nothing', async ([, body], { account }) => {
    const res = await purchase(account.id, body);
    expect(res.status).toBe(400);
    expect(typeof res.body.message).toBe('string');
    const listed = await t.call('list_account_purchases', {
      headers: creds.headers,
      params: { account_id: account.id },
    });
    expect(listed.body.data).toEqual([]);
  });

  it('answers 404 for an unknown account', async () => {
    expect((await purchase('NO-SUCH-ACCOUNT-10', { pricePlanId: creds.purchasePlanId })).status).toBe(404);
  });
});

describe('GET /accounts/{account_id}/purchases and GET /purchases/{purchase_id}', () => {
  it('lists purchases newest first, proposals excluded', async ({ account }) => {
    const a = await purchase(account.id, { pricePlanId: creds.purchasePlanId });
    const b = await purchase(account.id, {
      type: 'WALLET_TOPUP',
      walletTopupDetails: { topupAmount: 10, purchaseAmount: 8 },
    });
    await propose(account.id, { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 5 } });
    const res = await t.call('list_account_purchases', { headers: creds.headers, params: { account_id: account.id } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: any) => p.id).sort()).toEqual([a.body.id, b.body.id].sort());
  });

  it("answers the seed's purchase purchase.1zYnCiM9Bpg.lv25y", async ({ skip }) => {
    await expectSeedRecord({ skip }, 'purchase', getPurchase, 'purchase.1zYnCiM9Bpg.lv25y', {
      accountId: 'ACC00001',
      status: 'SUCCESS',
      type: 'ENTITLEMENT_GRANT',
      idempotencyKey: 'AAAAAABBBEEEDDSS23',
    });
  });

  it("answers 404 for an unknown purchase, another tenant's purchase, an unknown account; 400 for an id over 50", async ({
    account,
  }) => {
    const mine = await purchase(account.id, { pricePlanId: creds.purchasePlanId });
    await expectStatus(404, getPurchase('purchase.none.00000'));
    await expectStatus(404, getPurchase(mine.body.id, creds.otherHeaders));
    await expectStatus(
      404,
      t.call('list_account_purchases', { headers: creds.headers, params: { account_id: 'NO-SUCH-ACCOUNT-11' } }),
    );
    await expectStatus(400, getPurchase('p'.repeat(51)));
  });
});

describe('purchase proposals', () => {
  it('creates a proposal in PROPOSAL_ACTIVE and approves it: PROPOSAL_APPROVED with a response date', async ({
    account,
  }) => {
    const created = await propose(account.id, {
      type: 'ENTITLEMENT_GRANT',
      pricePlanId: creds.purchasePlanId,
      quantity: 1,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'PROPOSAL_ACTIVE', paymentMode: 'PREPAID', accountId: account.id });
    expect(created.body.proposalResponseDate).toBeUndefined();
    const approved = await answer(created.body.id, 'APPROVE');
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('PROPOSAL_APPROVED');
    expect(approved.body.proposalResponseDate).toEqual(expect.any(String));
    expect((await getProposal(created.body.id)).body.status).toBe('PROPOSAL_APPROVED');
  });

  it('declines a proposal, and refuses to answer it again (400)', async ({ account }) => {
    const created = await propose(account.id, {
      type: 'WALLET_TOPUP',
      walletTopupDetails: { topupAmount: 100 },
      paymentMode: 'POSTPAID',
    });
    const declined = await answer(created.body.id, 'DECLINE');
    expect(declined.body.status).toBe('PROPOSAL_DECLINED');
    const again = await answer(created.body.id, 'APPROVE');
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/declined/i);
    expect((await getProposal(created.body.id)).body.status).toBe('PROPOSAL_DECLINED');
  });

  it('approving an ASSOCIATION proposal puts the plan on the schedule', async ({ account }) => {
    const created = await propose(account.id, {
      type: 'ASSOCIATION',
      ...planFor(creds.monthlyPlanId, '2030-01-01', '2031-01-01'),
    });
    expect(
      (await t.call('get_pricing_schedules', { headers: creds.headers, params: { account_id: account.id } })).body.data,
    ).toEqual([]);
    await answer(created.body.id, 'APPROVE');
    const schedules = await t.call('get_pricing_schedules', {
      headers: creds.headers,
      params: { account_id: account.id },
    });
    expect(schedules.body.data.map((s: any) => s.pricePlanId)).toEqual([creds.monthlyPlanId]);
  });

  it('expires an active proposal once the sandbox clock passes its expiryDate', async ({ account, skip }) => {
    needsStandin({ skip }, 'the sandbox clock');
    const now = new Date((await t.admin('GET', '/clock')).now);
    const expiry = new Date(now.getTime() + 3 * 86_400_000).toISOString();
    const created = await propose(account.id, {
      type: 'ENTITLEMENT_GRANT',
      pricePlanId: creds.purchasePlanId,
      expiryDate: expiry,
    });
    expect(created.body.status).toBe('PROPOSAL_ACTIVE');
    await t.admin('POST', '/clock', { advance: 'P4D' });
    try {
      expect((await getProposal(created.body.id)).body.status).toBe('PROPOSAL_EXPIRED');
      const listed = await t.call('list_account_proposals', {
        headers: creds.headers,
        params: { account_id: account.id },
      });
      expect(listed.body.data[0]).toMatchObject({ id: created.body.id, status: 'PROPOSAL_EXPIRED' });
      const late = await answer(created.body.id, 'APPROVE');
      expect(late.status).toBe(400);
      expect(late.body.message).toMatch(/expired/i);
    } finally {
      await t.admin('POST', '/clock', { reset: true });
    }
  });

  it('lists the proposals of an account', async ({ account }) => {
    const a = await propose(account.id, { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 } });
    const b = await propose(account.id, { type: 'ENTITLEMENT_GRANT', pricePlanId: creds.purchasePlanId });
    const res = await t.call('list_account_proposals', { headers: creds.headers, params: { account_id: account.id } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: any) => p.id).sort()).toEqual([a.body.id, b.body.id].sort());
    expect(res.body.data.every((p: any) => p.paymentMode === 'PREPAID' && p.status === 'PROPOSAL_ACTIVE')).toBe(true);
  });

  it("answers the seed's proposal purchase.20rqjgFJf2O.ejl25 and approves it", async ({ skip }) => {
    await expectSeedRecord({ skip }, 'proposal', getProposal, 'purchase.20rqjgFJf2O.ejl25', {
      accountId: 'ACC00001',
      status: 'PROPOSAL_ACTIVE',
      paymentMode: 'PREPAID',
    });
    const approved = await answer('purchase.20rqjgFJf2O.ejl25', 'APPROVE');
    expect(approved.body.status).toBe('PROPOSAL_APPROVED');
  });

  it.for<[string, Record<string, unknown>]>([
    ['no paymentMode', { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 }, paymentMode: undefined }],
    ['no type', { type: undefined, pricePlanId: 'pp.x' }],
    [
      'an expiryDate in the past',
      { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 }, expiryDate: '2000-01-01T00:00:00Z' },
    ],
    ['a billing plan as an entitlement grant', { type: 'ENTITLEMENT_GRANT', pricePlanId: 'BILLING' }],
  ])('answers 400 for a proposal with %s', async ([, raw], { account }) => {
    const body = { ...raw, ...(raw.pricePlanId === 'BILLING' ? { pricePlanId: creds.monthlyPlanId } : {}) };
    const res = await propose(account.id, body);
    expect(res.status).toBe(400);
    expect(
      (await t.call('list_account_proposals', { headers: creds.headers, params: { account_id: account.id } })).body
        .data,
    ).toEqual([]);
  });

  it('answers 400 for an unknown answer, 404 for an unknown proposal or account', async ({ account }) => {
    const created = await propose(account.id, { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 } });
    expect((await answer(created.body.id, 'MAYBE')).status).toBe(400);
    expect((await answer('purchase.none.00000', 'APPROVE')).status).toBe(404);
    expect((await getProposal('purchase.none.00000')).status).toBe(404);
    expect(
      (await propose('NO-SUCH-ACCOUNT-12', { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 } })).status,
    ).toBe(404);
    await expectStatus(
      404,
      t.call('list_account_proposals', { headers: creds.headers, params: { account_id: 'NO-SUCH-ACCOUNT-12' } }),
    );
    const purchased = await purchase(account.id, { type: 'WALLET_TOPUP', walletTopupDetails: { topupAmount: 1 } });
    expect((await getProposal(purchased.body.id)).status).toBe(404);
  });
});
