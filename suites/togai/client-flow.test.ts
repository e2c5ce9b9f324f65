/**
 * Done-when: a client written against Togai's own document runs create → alias → schedule → purchase → proposal
 * → delete against the target without errors, and every answer it gets validates against that document.
 */
import { describe, expect, it } from 'vitest';
import { loadVendorDocument, vendorProblems } from '../../server/core/contract/vendor.ts';
import { TogaiAccountsClient } from '../pact/togai/accounts-client.ts';
import { closedAfterFile, sharedVendorDocument } from '../support/target.ts';
import { accountId, aliasValue, togaiTarget } from './target.ts';

const { target: t, credentials: creds } = closedAfterFile(await togaiTarget());

const vendorFile = sharedVendorDocument('togai-accounts.openapi.yaml');

describe('a client written against the vendor document', () => {
  it('runs create → alias → schedule → purchase → proposal → delete, every answer valid for the vendor document', async () => {
    const answers: Array<{ method: string; path: string; status: number; body: unknown }> = [];
    // Record what the client receives, as it receives it.
    const original = globalThis.fetch;
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await original(input, init);
      const url = new URL(String(input));
      const body = await res.clone().json();
      answers.push({
        method: init?.method ?? 'GET',
        path: url.pathname.replace(/^\/togai/, ''),
        status: res.status,
        body,
      });
      return res;
    };
    globalThis.fetch = recordingFetch;
    try {
      const client = new TogaiAccountsClient(t.baseUrl, creds.headers.Authorization!.replace(/^Bearer /, ''), {
        'x-standin-sandbox': t.sandbox,
      });
      const id = accountId('flow');
      const created = await client.createAccount({
        id,
        name: 'Flow Account',
        customerId: 'CUST-FLOW',
        invoiceCurrency: 'USD',
      });
      expect(created).toMatchObject({ id, status: 'ACTIVE' });
      const alias = aliasValue('flow');
      expect((await client.addAliases(id, [alias])).aliases).toEqual([{ alias }]);
      const schedule = await client.associatePricePlan(id, creds.monthlyPlanId, '2030-01-01', '2031-01-01');
      expect(schedule.pricingSchedules.map((s) => s.pricePlanId)).toEqual([creds.monthlyPlanId]);
      const bought = await client.buyEntitlements(id, creds.purchasePlanId, { [creds.featureId]: 2 }, `flow-${id}`);
      expect(bought.status).toBe('SUCCESS');
      const again = await client.buyEntitlements(id, creds.purchasePlanId, { [creds.featureId]: 2 }, `flow-${id}`);
      expect(again.id).toBe(bought.id);
      const proposal = await client.proposeTopUp(id, 25);
      expect(proposal.status).toBe('PROPOSAL_ACTIVE');
      expect((await client.answerProposal(proposal.id, 'APPROVE')).status).toBe('PROPOSAL_APPROVED');
      expect(await client.deleteAccount(id)).toEqual({ success: true });
      expect((await client.getAccount(id)).status).toBe('ARCHIVED');
      const page = await client.listAccounts(1);
      expect(page.data).toHaveLength(1);
    } finally {
      globalThis.fetch = original;
    }
    expect(answers).toHaveLength(10);
    if (vendorFile) {
      const vendor = loadVendorDocument(vendorFile);
      const mismatches = answers
        .map((a) => ({ ...a, problems: vendorProblems(vendor, a.method, a.path, a.status, a.body) }))
        .filter((a) => a.problems?.length !== 0);
      expect(mismatches).toEqual([]);
    }
  });
});
