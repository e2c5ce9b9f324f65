import { definePlugin, type AnyRequest, type HandlerContext, type Reply } from '../../core/plugin.ts';
import { stateSchemaCheck } from '../../core/validator/state-schema.ts';
import { djaoappFixtures } from '../../../fixtures/djaoapp/index.ts';
import {
  accessibles_accept,
  accessibles_by_role_list,
  accessibles_by_role_request,
  accessibles_list,
  accessibles_request,
  accessibles_resend,
  accessibles_revoke,
} from './roles/accessibles.ts';
import { accounts_list, accounts_profiles_list, accounts_users_list } from './accounts/accounts.ts';
import {
  metrics_balance_line_destroy,
  metrics_balance_line_retrieve,
  metrics_balance_line_update,
  metrics_balance_lines_create,
  metrics_balance_lines_list,
  metrics_balance_sheet_retrieve,
} from './metrics/balance-sheet.ts';
import { authenticate } from './model/principal.ts';
import { charges_email, charges_list, charges_refund, charges_retrieve } from './billing/charges.ts';
import {
  auth_activate,
  auth_activate_retrieve,
  auth_login,
  auth_logout,
  auth_recover,
  auth_register,
  auth_reset,
  auth_tokens_refresh,
  auth_tokens_verify,
} from './auth/authentication.ts';
import { gettingStarted } from './getting-started.ts';
import { billing_balance_destroy, billing_balance_retrieve } from './billing/balance.ts';
import { billing_history_list } from './billing/history.ts';
import { billing_receivables_list } from './billing/receivables.ts';
import { transactions_list } from './billing/transactions.ts';
import { billing_transfers_import, billing_transfers_list } from './billing/transfers.ts';
import {
  contacts_activities_create,
  contacts_activities_list,
  contacts_create,
  contacts_destroy,
  contacts_update,
} from './contacts/contacts.ts';
import { djaoappErrors, JSON_TYPE } from './model/errors.ts';
import { legal_sign } from './legal/legal.ts';
import {
  metrics_active_list,
  metrics_balances,
  metrics_churned_list,
  metrics_coupon_uses_list,
  metrics_customers,
  metrics_funds,
  metrics_plans,
  metrics_registered_list,
} from './metrics/metrics.ts';
import { contact_us, notifications_test, todos_list } from './notifications/notifications.ts';
import { plans_create, plans_destroy, plans_list, plans_retrieve, plans_update, pricing_list } from './plans/plans.ts';
import {
  profiles_create,
  profiles_destroy,
  profiles_list,
  profiles_retrieve,
  profiles_update,
} from './profile/profiles.ts';
import {
  proxy_app_retrieve,
  proxy_app_update,
  proxy_engagement_retrieve,
  proxy_engagement_users_list,
  proxy_key_rotate,
  proxy_recent_list,
  proxy_rules_create,
  proxy_rules_destroy,
  proxy_rules_list,
  proxy_rules_retrieve,
  proxy_rules_update,
  proxy_sessions_retrieve,
} from './rules/proxy.ts';
import { cart_add, cart_redeem, cart_remove, cart_upload } from './cart/cart.ts';
import { bank_retrieve, card_destroy, card_retrieve, card_update } from './billing/card-and-bank.ts';
import { checkout_create, checkout_retrieve } from './billing/checkout.ts';
import { coupons_destroy, coupons_list, coupons_retrieve, coupons_update } from './billing/coupons.ts';
import { billRenewals } from './model/payments.ts';
import { renewalsSeen, renewDue } from './model/renewals.ts';
import {
  roles_by_description_list,
  roles_describe_create,
  roles_describe_destroy,
  roles_describe_list,
  roles_describe_retrieve,
  roles_describe_update,
  roles_grant,
  roles_list,
  roles_resend,
  roles_revoke,
} from './roles/roles.ts';
import type { DjaoappState, Principal } from './state.ts';
import {
  plan_subscription_destroy,
  plan_subscription_retrieve,
  plan_subscription_update,
  plan_subscriptions_create,
  plan_subscriptions_list,
  subscribers_accept,
  subscribers_list,
  subscription_destroy,
  subscription_retrieve,
  subscription_update,
  subscriptions_list,
} from './subscriptions/subscriptions.ts';
import { themes_editables_remove_tags, themes_reset, themes_upload } from './themes/themes.ts';
import {
  users_activate_resend,
  users_api_keys_reset,
  users_create,
  users_destroy,
  users_list,
  users_notifications_update,
  users_password_update,
  users_profiles_create,
  users_profiles_list,
  users_retrieve,
  users_ssh_keys_update,
  users_update,
} from './users/users.ts';
import { djaoappTrailingSlash } from './model/trailing-slash.ts';
import type { operations } from './contract.d.ts';

type Ctx = HandlerContext<DjaoappState, Principal, AnyRequest>;

/**
 * Before every handler, the renewal job runs up to the sandbox clock (model/renewals.ts). Each period renewed is
 * billed (model/payments.ts): an order line, charged on the subscriber's card on file.
 */
function renewBeforeHandler(ctx: Ctx): void {
  const before = ctx.state.renewals_at;
  billRenewals(ctx.state, renewDue(ctx.state, ctx.now()));
  if (ctx.state.renewals_at !== before) ctx.changed();
}

/** A write that succeeds tells the renewal job it has seen the state up to now. */
function renewalsSeenAfterHandler(ctx: Ctx, reply: Reply): void {
  if (ctx.request.method !== 'GET' && ctx.request.method !== 'HEAD' && reply.status < 400)
    renewalsSeen(ctx.state, ctx.now());
}

export const djaoapp = definePlugin<DjaoappState, Principal, operations>({
  name: 'djaoapp',
  title: 'DjaoApp (djaodjin) accounts and billing API',
  contentType: JSON_TYPE,
  trailingSlash: djaoappTrailingSlash,
  // Every handler runs the renewal job up to the clock first (beforeHandler).
  writingReads: 'all',
  fixtures: djaoappFixtures,
  validateState: stateSchemaCheck(new URL('./state.schema.json', import.meta.url)),
  gettingStarted,
  authenticate,
  errors: djaoappErrors,
  beforeHandler: renewBeforeHandler,
  afterHandler: renewalsSeenAfterHandler,
  handlers: {
    cart_add,
    cart_remove,
    cart_redeem,
    cart_upload,
    checkout_retrieve,
    checkout_create,
    card_retrieve,
    card_update,
    card_destroy,
    bank_retrieve,
    coupons_list,
    coupons_retrieve,
    coupons_update,
    coupons_destroy,
    auth_login,
    auth_activate_retrieve,
    auth_activate,
    auth_logout,
    auth_recover,
    auth_register,
    auth_reset,
    auth_tokens_refresh,
    auth_tokens_verify,
    contact_us,
    users_activate_resend,
    users_api_keys_reset,
    users_password_update,
    users_ssh_keys_update,
    todos_list,
    accounts_list,
    accounts_profiles_list,
    accounts_users_list,
    contacts_create,
    contacts_update,
    contacts_destroy,
    contacts_activities_list,
    contacts_activities_create,
    legal_sign,
    users_list,
    users_create,
    users_retrieve,
    users_update,
    users_destroy,
    users_notifications_update,
    users_profiles_list,
    users_profiles_create,
    notifications_test,
    themes_editables_remove_tags,
    proxy_recent_list,
    proxy_app_retrieve,
    proxy_app_update,
    proxy_engagement_retrieve,
    proxy_engagement_users_list,
    proxy_key_rotate,
    proxy_rules_list,
    proxy_rules_create,
    proxy_rules_retrieve,
    proxy_rules_update,
    proxy_rules_destroy,
    proxy_sessions_retrieve,
    themes_upload,
    themes_reset,
    profiles_list,
    profiles_create,
    profiles_retrieve,
    profiles_update,
    profiles_destroy,
    roles_list,
    roles_describe_list,
    roles_describe_create,
    roles_describe_retrieve,
    roles_describe_update,
    roles_describe_destroy,
    roles_by_description_list,
    roles_grant,
    roles_resend,
    roles_revoke,
    subscribers_accept,
    accessibles_list,
    accessibles_request,
    accessibles_accept,
    accessibles_by_role_list,
    accessibles_by_role_request,
    accessibles_resend,
    accessibles_revoke,
    pricing_list,
    plans_list,
    plans_create,
    plans_retrieve,
    plans_update,
    plans_destroy,
    plan_subscriptions_list,
    plan_subscriptions_create,
    plan_subscription_retrieve,
    plan_subscription_update,
    plan_subscription_destroy,
    subscribers_list,
    subscriptions_list,
    subscription_retrieve,
    subscription_update,
    subscription_destroy,
    charges_list,
    charges_retrieve,
    charges_email,
    charges_refund,
    transactions_list,
    billing_history_list,
    billing_receivables_list,
    billing_transfers_list,
    billing_transfers_import,
    billing_balance_retrieve,
    billing_balance_destroy,
    metrics_balances,
    metrics_funds,
    metrics_customers,
    metrics_plans,
    metrics_active_list,
    metrics_churned_list,
    metrics_coupon_uses_list,
    metrics_registered_list,
    metrics_balance_sheet_retrieve,
    metrics_balance_lines_list,
    metrics_balance_lines_create,
    metrics_balance_line_retrieve,
    metrics_balance_line_update,
    metrics_balance_line_destroy,
  },
  adminViews: {
    /** E-mails sent in this sandbox (recover links, activation keys, contact-us messages, test notifications). */
    outbox: {
      about:
        'DjaoApp sends e-mails here when a user registers, asks for a password reset or an activation link, is granted or requests a role or a subscription, is charged (receipts), or writes to contact-us; and on test notifications.',
      view: (state) => state.outbox,
    },
    /** Pending activation keys and reset links, as the e-mails carry them. */
    keys: (state) => ({ verification_keys: state.verification_keys, reset_tokens: state.reset_tokens }),
    /** Pending grants and requests, roles and subscriptions, with their keys (as their e-mails carry them). */
    optins: (state) => ({
      roles: state.roles.filter((r) => r.grant_key !== null || r.request_key !== null),
      subscriptions: state.subscriptions.filter((s) => s.grant_key !== null || s.request_key !== null),
    }),
    /** Every subscription, archived subscribers' included, and how far the renewal job has run. */
    subscriptions: (state) => ({ renewals_at: state.renewals_at, subscriptions: state.subscriptions }),
    /** The money: every ledger transaction and charge, the cards on file, carts, coupons and the processor's test tokens. */
    billing: (state) => ({
      transactions: state.transactions,
      charges: state.charges,
      cards: state.cards,
      cart_items: state.cart_items,
      coupons: state.coupons,
      processor: state.processor,
    }),
  },
});
