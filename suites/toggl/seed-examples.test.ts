/**
 * Every example call of seed 000 (the generated client's docs: every id 56, placeholder strings, empty model
 * objects sent as `{}`), as the admin of organization 56, each from the fixtures: the answer the mock gives.
 */
import { describe, expect, it } from 'vitest';
import { needsStandin } from '../support/target.ts';
import { togglSuite } from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'each' });

const org = { organization_id: 56 };
const ws = { workspace_id: 56 };
type Example = [
  operationId: string,
  params: Record<string, string | number>,
  extra: { query?: Record<string, string | number>; body?: unknown },
  status: number,
  body?: string,
];

const examples: Example[] = [
  ['delete_organization_subscription', org, { query: { immediateCancel: 'immediate_cancel_example' } }, 200],
  ['delete_workspace_subscription', { ...ws, subscription_id: 56 }, { body: {} }, 200],
  ['get_currencies', {}, {}, 200],
  ['get_organization_invoice', { ...org, invoice_uid: 'invoice_uid_example' }, {}, 200],
  [
    'get_organization_invoice_summary',
    org,
    { query: { quantity: 56, pricing_plan_tag: 'pricing_plan_tag_example' } },
    400,
    'Bad Request',
  ],
  ['get_organization_subscription', org, {}, 200],
  ['get_public_subscription_plans', {}, {}, 200],
  ['get_workspace_currencies', ws, {}, 200],
  ['get_workspace_customer', ws, {}, 200],
  ['get_workspace_features', ws, {}, 200],
  ['get_workspace_features_selected', ws, {}, 200],
  ['get_workspace_invoices', { ...ws, invoice_id: 56 }, {}, 200],
  ['get_workspace_payment_receipts', { ...ws, payment_id: 56 }, {}, 200],
  ['get_workspace_payment_records', ws, {}, 200],
  ['get_workspace_plans', ws, {}, 200],
  ['get_workspace_plans_pricing', { ...ws, plan_id: 56 }, {}, 200],
  ['get_workspace_purchase_order_pdf', { ...ws, purchase_order_id: 56 }, {}, 200],
  ['get_workspace_subscription', ws, {}, 200],
  ['post_organization_plans_pricing_feedback', { ...org, pricing_plan_id: 56 }, { body: {} }, 200],
  ['post_organization_purchase_order', org, { body: {} }, 400, 'user_count must be greater than 0'],
  ['post_organization_subscription', org, { body: {} }, 400, 'pricing_plan_tag is a required field'],
  ['post_organization_subscription_0', org, {}, 403, 'Forbidden'],
  ['post_workspace_customer', ws, { body: {} }, 400, 'the company_name field is required'],
  ['post_workspace_plans_pricing_feedback', { ...ws, pricing_plan_id: 56 }, { body: {} }, 200],
  ['post_workspace_purchase_order', ws, { body: {} }, 400, 'user_count must be greater than 0'],
  ['post_workspace_subscription', ws, { body: {} }, 400, 'pricing_plan_id required'],
  ['post_workspace_subscription_calculate', ws, { body: {} }, 400, 'period can be 1 or 12'],
  ['post_workspace_subscription_inc_accept', ws, {}, 204],
  ['put_organization_subscription', org, { body: {} }, 400, 'pricing_plan_tag is a required field'],
  ['put_workspace_profile', { ...ws, profile_id: 56 }, { body: {} }, 204],
];

describe('seed 000 examples', () => {
  it('covers all 30 operations', () => {
    expect(new Set(examples.map((e) => e[0])).size).toBe(30);
  });

  it.for(examples)('%s', async ([operationId, params, extra, status, body], ctx) => {
    needsStandin(ctx, "the seed's organization and workspace 56 with their subscription, invoices and payments");
    const res = await t.call(operationId, { params, headers: creds.admin, ...extra });
    expect(res.status).toBe(status);
    if (body !== undefined) expect(res.body).toBe(body);
  });
});
