/**
 * Consumer: an accounts integration records what it needs from Togai (contracts/pacts/accounts-frontend-togai.json):
 * create → alias → schedule → purchase → proposal → delete, and the errors it handles.
 * Provider: that pact is verified against the mock (or PACT_PROVIDER_BASE_URL).
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';
import { TogaiAccountsClient, TogaiError } from './togai/accounts-client.ts';

const { like, eachLike, regex, string, boolean } = MatchersV3;
const parties: PactParties = {
  consumer: 'accounts-frontend',
  provider: 'togai',
  state: 'tenant A has account ACC00001, its price plans and proposal purchase.20rqjgFJf2O.ejl25',
};
const token = 'togai-test-token';
const auth = { Authorization: `Bearer ${token}` };
const account = (fields: Record<string, unknown> = {}) => ({
  id: string('ACC00001'),
  togaiAccountId: regex(/^account\.\w+\.\w+$/, 'account.1zYnCiM9Bpg.ac001'),
  togaiCustomerId: regex(/^customer\.\w+\.\w+$/, 'customer.1zYnCiM9Bpg.c1234'),
  name: string('Primary Account'),
  customerId: string('C1234qwd'),
  status: regex(/^(ACTIVE|DRAFT|ARCHIVED)$/, 'ACTIVE'),
  ...fields,
});

const interactions: Interaction[] = [
  {
    uponReceiving: 'a request for account ACC00001',
    withRequest: sends('GET', '/accounts/ACC00001', { headers: auth }),
    willRespondWith: answers(200, account({ aliases: eachLike({ alias: string('acme_primary') }) })),
  },
  {
    uponReceiving: 'a request to create account ACC-PACT-1',
    withRequest: sends('POST', '/accounts', {
      headers: auth,
      body: { id: 'ACC-PACT-1', name: 'Pact Account', customerId: 'C-PACT', invoiceCurrency: 'USD' },
    }),
    willRespondWith: answers(
      201,
      account({
        id: 'ACC-PACT-1',
        name: 'Pact Account',
        customerId: 'C-PACT',
        status: 'ACTIVE',
        invoiceCurrency: 'USD',
      }),
    ),
  },
  {
    uponReceiving: 'a request to add an alias to ACC00001',
    withRequest: sends('POST', '/accounts/ACC00001/add_aliases', {
      headers: auth,
      body: { aliases: ['pact-alias-1'] },
    }),
    willRespondWith: answers(200, account({ aliases: eachLike({ alias: string('pact-alias-1') }) })),
  },
  {
    uponReceiving: 'a request to associate price plan pp.20v1Tgjuwlc.O55xo with ACC00001 for 2030',
    withRequest: sends('POST', '/accounts/ACC00001/price_plans', {
      headers: auth,
      body: {
        mode: 'ASSOCIATE',
        pricePlanId: 'pp.20v1Tgjuwlc.O55xo',
        effectiveFrom: '2030-01-01',
        effectiveUntil: '2031-01-01',
      },
    }),
    willRespondWith: answers(200, {
      accountId: 'ACC00001',
      accountName: string('Primary Account'),
      pricingSchedules: eachLike({
        id: string('sch.4325kbjedsc.34dww'),
        pricePlanId: string('pp.20v1Tgjuwlc.O55xo'),
        pricePlanName: string('Growth Monthly'),
        startDate: string('2030-01-01T00:00:00.000Z'),
        endDate: string('2031-01-01T00:00:00.000Z'),
      }),
    }),
  },
  {
    uponReceiving: 'a request to buy entitlements of plan pp.20txw0FrqjQ.byM8V for ACC00001',
    withRequest: sends('POST', '/accounts/ACC00001/purchases', {
      headers: auth,
      body: {
        type: 'ENTITLEMENT_GRANT',
        pricePlanId: 'pp.20txw0FrqjQ.byM8V',
        rateCardQuantities: { 'feature.20txvOAhiIS.m3X3d': 1.2 },
        idempotencyKey: 'pact-key-1',
      },
    }),
    willRespondWith: answers(200, {
      id: regex(/^purchase\.\w+\.\w+$/, 'purchase.2abcdef0001.xyz12'),
      accountId: 'ACC00001',
      pricePlanId: 'pp.20txw0FrqjQ.byM8V',
      status: 'SUCCESS',
      type: 'ENTITLEMENT_GRANT',
      createdAt: string('2030-01-01T00:00:00.000Z'),
      price: like(120),
    }),
  },
  {
    uponReceiving: 'a request to propose a wallet top-up for ACC00001',
    withRequest: sends('POST', '/accounts/ACC00001/purchase_proposals', {
      headers: auth,
      body: { type: 'WALLET_TOPUP', paymentMode: 'PREPAID', walletTopupDetails: { topupAmount: 50 } },
    }),
    willRespondWith: answers(200, {
      id: regex(/^purchase\.\w+\.\w+$/, 'purchase.2abcdef0002.xyz12'),
      accountId: 'ACC00001',
      status: 'PROPOSAL_ACTIVE',
      type: 'WALLET_TOPUP',
      paymentMode: 'PREPAID',
      createdAt: string('2030-01-01T00:00:00.000Z'),
    }),
  },
  {
    uponReceiving: 'a request to approve proposal purchase.20rqjgFJf2O.ejl25',
    withRequest: sends('POST', '/purchase_proposals/purchase.20rqjgFJf2O.ejl25/update_status', {
      headers: auth,
      body: { status: 'APPROVE' },
    }),
    willRespondWith: answers(200, {
      id: 'purchase.20rqjgFJf2O.ejl25',
      accountId: 'ACC00001',
      status: 'PROPOSAL_APPROVED',
      type: string('ENTITLEMENT_GRANT'),
      paymentMode: 'PREPAID',
      createdAt: string('2023-07-26T12:36:56.580Z'),
      proposalResponseDate: string('2030-01-01T00:00:00.000Z'),
    }),
  },
  {
    uponReceiving: 'a request to delete account ACC00001',
    withRequest: sends('DELETE', '/accounts/ACC00001', { headers: auth }),
    willRespondWith: answers(200, { success: boolean(true) }),
  },
  {
    uponReceiving: 'a request for an account that does not exist',
    withRequest: sends('GET', '/accounts/NO-SUCH-ACCOUNT', { headers: auth }),
    willRespondWith: answers(404, { message: string('Account with id NO-SUCH-ACCOUNT does not exist') }),
  },
  {
    uponReceiving: 'a request with a token Togai does not know',
    withRequest: sends('GET', '/accounts/ACC00001', { headers: { Authorization: 'Bearer not-a-token' } }),
    willRespondWith: answers(401, { message: string('Unauthorized') }),
  },
];

describePact(parties, {
  client: 'the accounts client',
  interactions,
  exercise: async (mock) => {
    const client = new TogaiAccountsClient(mock.url, token);
    expect((await client.getAccount('ACC00001')).aliases).toEqual([{ alias: 'acme_primary' }]);
    expect(
      await client.createAccount({
        id: 'ACC-PACT-1',
        name: 'Pact Account',
        customerId: 'C-PACT',
        invoiceCurrency: 'USD',
      }),
    ).toMatchObject({ id: 'ACC-PACT-1', status: 'ACTIVE' });
    expect((await client.addAliases('ACC00001', ['pact-alias-1'])).aliases).toEqual([{ alias: 'pact-alias-1' }]);
    expect(
      (await client.associatePricePlan('ACC00001', 'pp.20v1Tgjuwlc.O55xo', '2030-01-01', '2031-01-01'))
        .pricingSchedules[0]!.pricePlanId,
    ).toBe('pp.20v1Tgjuwlc.O55xo');
    expect(
      await client.buyEntitlements(
        'ACC00001',
        'pp.20txw0FrqjQ.byM8V',
        { 'feature.20txvOAhiIS.m3X3d': 1.2 },
        'pact-key-1',
      ),
    ).toMatchObject({ status: 'SUCCESS' });
    expect(await client.proposeTopUp('ACC00001', 50)).toMatchObject({ status: 'PROPOSAL_ACTIVE' });
    expect(await client.answerProposal('purchase.20rqjgFJf2O.ejl25', 'APPROVE')).toMatchObject({
      status: 'PROPOSAL_APPROVED',
    });
    expect(await client.deleteAccount('ACC00001')).toEqual({ success: true });
    await expect(client.getAccount('NO-SUCH-ACCOUNT')).rejects.toMatchObject({ status: 404 });
    const stranger = new TogaiAccountsClient(mock.url, 'not-a-token');
    await expect(stranger.getAccount('ACC00001')).rejects.toBeInstanceOf(TogaiError);
  },
  withoutPublicApi:
    "the states need the fixtures' proposal purchase.20rqjgFJf2O.ejl25 and price plans; Togai's public API cannot create them with chosen ids",
});
