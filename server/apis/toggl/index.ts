import { definePlugin, type AnyRequest, type HandlerContext } from '../../core/plugin.ts';
import { stateSchemaCheck } from '../../core/validator/state-schema.ts';
import { togglFixtures } from '../../../fixtures/toggl/index.ts';
import { authenticate } from './auth.ts';
import { gettingStarted } from './getting-started.ts';
import { settleOrganization } from './billing.ts';
import {
  get_currencies,
  get_public_subscription_plans,
  get_workspace_currencies,
  get_workspace_plans,
  get_workspace_plans_pricing,
} from './catalogue.ts';
import {
  get_workspace_customer,
  post_workspace_customer,
  post_workspace_subscription_inc_accept,
} from './customers.ts';
import { JSON_UTF8, togglErrors } from './errors.ts';
import { get_workspace_features, get_workspace_features_selected } from './features.ts';
import { post_organization_plans_pricing_feedback, post_workspace_plans_pricing_feedback } from './feedback.ts';
import {
  get_organization_invoice,
  get_workspace_invoices,
  get_workspace_payment_receipts,
  get_workspace_payment_records,
} from './invoices.ts';
import {
  get_workspace_purchase_order_pdf,
  post_organization_purchase_order,
  post_workspace_purchase_order,
} from './purchase-orders.ts';
import {
  delete_organization_subscription,
  delete_workspace_subscription,
  get_organization_invoice_summary,
  get_organization_subscription,
  get_workspace_subscription,
  post_organization_subscription,
  post_organization_subscription_0,
  post_workspace_subscription,
  post_workspace_subscription_calculate,
  put_organization_subscription,
  put_workspace_profile,
} from './subscriptions.ts';
import type { operations } from './contract.d.ts';
import type { Organization, Principal, TogglState } from './state.ts';
import { entryOf } from '../../core/records.ts';

/** The organization a request is about: the path's organization, or the organization of the path's workspace. */
function organizationOf(state: TogglState, params: Record<string, unknown>): Organization | undefined {
  if (params.organization_id !== undefined) return entryOf(state.organizations, String(params.organization_id));
  const workspace =
    params.workspace_id === undefined ? undefined : entryOf(state.workspaces, String(params.workspace_id));
  return workspace && state.organizations[String(workspace.organization_id)];
}

/**
 * Before every handler: the subscription of the organization the request is about is brought up to the sandbox
 * clock (trial ends, renewals, cancellations). Other organizations settle when they are next asked about, so a
 * request costs the same however many organizations the sandbox holds.
 */
function settleBeforeHandler(ctx: HandlerContext<TogglState, Principal, AnyRequest>): void {
  const org = organizationOf(ctx.state, ctx.params);
  if (org && settleOrganization(ctx.state, org, ctx.now())) ctx.changed();
}

export const toggl = definePlugin<TogglState, Principal, operations>({
  name: 'toggl',
  title: 'Toggl Track API v9 — Subscription',
  contentType: JSON_UTF8,
  // Every handler settles the organization's subscription up to the clock first (beforeHandler).
  writingReads: 'all',
  fixtures: togglFixtures,
  validateState: stateSchemaCheck(new URL('./state.schema.json', import.meta.url)),
  gettingStarted,
  authenticate,
  errors: togglErrors,
  beforeHandler: settleBeforeHandler,
  handlers: {
    get_currencies,
    get_public_subscription_plans,
    get_organization_subscription,
    post_organization_subscription,
    put_organization_subscription,
    delete_organization_subscription,
    post_organization_subscription_0,
    get_organization_invoice_summary,
    post_organization_purchase_order,
    get_organization_invoice,
    post_organization_plans_pricing_feedback,
    get_workspace_subscription,
    post_workspace_subscription,
    delete_workspace_subscription,
    post_workspace_subscription_calculate,
    get_workspace_features,
    get_workspace_features_selected,
    post_workspace_subscription_inc_accept,
    post_workspace_purchase_order,
    get_workspace_customer,
    post_workspace_customer,
    get_workspace_currencies,
    get_workspace_invoices,
    get_workspace_payment_receipts,
    get_workspace_payment_records,
    get_workspace_plans,
    get_workspace_plans_pricing,
    get_workspace_purchase_order_pdf,
    post_workspace_plans_pricing_feedback,
    put_workspace_profile,
  },
  adminViews: {
    feedback: (state) => state.feedback,
    subscriptions: (state) => Object.values(state.subscriptions),
    invoices: (state) => Object.values(state.invoices),
    purchase_orders: (state) => Object.values(state.purchase_orders),
  },
});
