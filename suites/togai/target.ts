import { randomUUID } from 'node:crypto';
import { expect, test, type TestContext } from 'vitest';
import {
  type ApiResponse,
  conformanceTarget,
  credential,
  expectStatus,
  needsStandin,
  sharedVendorDocument,
  type ConformanceTarget,
  type TwoTenants,
} from '../support/target.ts';

/** Tenant A's Authorization header, tenant B's (otherHeaders), and tenant A's price plans. */
export interface TogaiCredentials extends TwoTenants {
  /** A billing plan (monthly) and another monthly one to switch to, an annual billing plan, and a purchase plan. */
  monthlyPlanId: string;
  otherMonthlyPlanId: string;
  annualPlanId: string;
  purchasePlanId: string;
  /** The purchase plan's feature and its credit limit per unit bought. */
  featureId: string;
}

/**
 * The Togai target with its credentials: the fixtures' by default, or TOGAI_TOKEN, TOGAI_OTHER_TOKEN,
 * TOGAI_MONTHLY_PLAN_ID, TOGAI_OTHER_MONTHLY_PLAN_ID, TOGAI_ANNUAL_PLAN_ID, TOGAI_PURCHASE_PLAN_ID and
 * TOGAI_FEATURE_ID for a real backend.
 */
export async function togaiTarget(): Promise<{ target: ConformanceTarget; credentials: TogaiCredentials }> {
  const credentials: TogaiCredentials = {
    headers: { Authorization: `Bearer ${credential('TOGAI_TOKEN', 'togai-test-token')}` },
    otherHeaders: { Authorization: `Bearer ${credential('TOGAI_OTHER_TOKEN', 'togai-other-token')}` },
    monthlyPlanId: credential('TOGAI_MONTHLY_PLAN_ID', 'pp.1zYnCiM9Bpg.lv25y'),
    otherMonthlyPlanId: credential('TOGAI_OTHER_MONTHLY_PLAN_ID', 'pp.20v1Tgjuwlc.O55xo'),
    annualPlanId: credential('TOGAI_ANNUAL_PLAN_ID', 'pp.20rqb4MK9ia.TD0eG'),
    purchasePlanId: credential('TOGAI_PURCHASE_PLAN_ID', 'pp.20txw0FrqjQ.byM8V'),
    featureId: credential('TOGAI_FEATURE_ID', 'feature.20txvOAhiIS.m3X3d'),
  };
  // Every 2xx JSON answer is also checked against Togai's own document when ../shared/reference/vendor/ has it.
  const target = await conformanceTarget('togai', {
    vendorDocument: sharedVendorDocument('togai-accounts.openapi.yaml'),
  });
  return { target, credentials };
}

/** Creates an account with a fresh id after `label` (accountId) and `fields`, expecting 201; the account. */
export async function createAccountWith(
  t: ConformanceTarget,
  headers: Record<string, string>,
  label: string,
  fields: Record<string, unknown>,
) {
  const res = await t.call('create_account', { headers, body: { id: accountId(label), ...fields } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** `it` for scenarios that ask for `account`: a new account, made by `create` for that scenario alone. */
export function itWithNewAccount<Account>(create: () => Promise<Account>) {
  return test.extend<{ account: Account }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture needs from this pattern.
    account: async ({}, use: (account: Account) => Promise<void>) => use(await create()),
  });
}

/** A fresh client-chosen account id (max 50 chars), unique per run so suites can share a real backend. */
export function accountId(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`.slice(0, 50);
}

/** A fresh alias value (3–50 chars). */
export function aliasValue(label: string): string {
  return `${label}-${randomUUID().slice(0, 12)}`;
}

/** A price plan over a date range (from inclusive, until exclusive), as pricing schedule edits name it. */
export const planFor = (pricePlanId: string, effectiveFrom: string, effectiveUntil: string) => ({
  pricePlanId,
  effectiveFrom,
  effectiveUntil,
});

/** A pricing schedule's dates, as [start, end] days. */
export const dateRange = (schedule: { startDate: string; endDate: string }) => [
  schedule.startDate.slice(0, 10),
  schedule.endDate.slice(0, 10),
];

/** The query of the seed's get_pricing_schedules example: ACC00001's schedules over 2023-2099, with plan details. */
export const seedScheduleQuery = {
  start_date: '2023-03-30T10:41:10.088499',
  end_date: '2099-03-30T10:41:10.088499',
  include_price_plan_info: true,
  compact: false,
};

/**
 * The seed's `kind` `id`, read with `get`: only a Standin holds the seed (elsewhere the scenario is skipped); it
 * answers 200 with that id and `fields`. Returns the answer.
 */
export async function expectSeedRecord(
  ctx: Pick<TestContext, 'skip'>,
  kind: string,
  get: (id: string) => Promise<ApiResponse>,
  id: string,
  fields: Record<string, unknown>,
): Promise<ApiResponse> {
  needsStandin(ctx, `the seed's ${kind} ${id}`);
  const res = await expectStatus(200, get(id));
  expect(res.body).toMatchObject({ id, ...fields });
  return res;
}
