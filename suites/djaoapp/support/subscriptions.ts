/**
 * The subscription scenarios' steps (/api/profile/{organization}/subscribers/, .../subscriptions/): each sends one
 * request, checked against the contract, and answers the response; what it must be is the scenario's to say.
 */
import type { ConformanceTarget } from '../../support/target.ts';

type Headers = Record<string, string>;
type Query = Record<string, string | number>;

/** The subscribers of a provider's plans (GET /api/profile/{organization}/subscribers/). */
export const subscribersOf = (t: ConformanceTarget, organization: string, headers?: Headers, query?: Query) =>
  t.call('subscribers_list', { params: { organization }, headers, query });
/** A subscriber's subscriptions (GET /api/profile/{organization}/subscriptions/). */
export const subscriptionsOf = (t: ConformanceTarget, organization: string, headers?: Headers, query?: Query) =>
  t.call('subscriptions_list', { params: { organization }, headers, query });

type PlanParams = { organization: string; plan: string };
type ProviderSide = PlanParams & { subscriber: string };
type SubscriberSide = { organization: string; subscribed_plan: string };

/** A provider's side: the subscriptions to one of its plans (/api/profile/{organization}/plans/{plan}/subscriptions/). */
export const planSubscriptions = (t: ConformanceTarget, params: PlanParams, headers?: Headers, query?: Query) =>
  t.call('plan_subscriptions_list', { params, headers, query });
export const grantSubscription = (t: ConformanceTarget, params: PlanParams, headers: Headers, body: unknown) =>
  t.call('plan_subscriptions_create', { params, headers, body });
export const {
  read: planSubscription,
  update: updatePlanSubscription,
  remove: unsubscribe,
} = recordSteps<ProviderSide>('plan_subscription_retrieve', 'plan_subscription_update', 'plan_subscription_destroy');

/** A subscriber's side: its subscription to a plan (/api/profile/{organization}/subscriptions/{subscribed_plan}/). */
export const {
  read: subscription,
  update: updateSubscription,
  remove: cancelSubscription,
} = recordSteps<SubscriberSide>('subscription_retrieve', 'subscription_update', 'subscription_destroy');

/** The steps of a record's GET, PUT and DELETE operations, which share their path parameters. */
function recordSteps<Params extends Record<string, string>>(retrieve: string, update: string, destroy: string) {
  return {
    read: (t: ConformanceTarget, params: Params, headers: Headers) => t.call(retrieve, { params, headers }),
    update: (t: ConformanceTarget, params: Params, headers: Headers, body: unknown) =>
      t.call(update, { params, headers, body }),
    remove: (t: ConformanceTarget, params: Params, headers: Headers) => t.call(destroy, { params, headers }),
  };
}
