/**
 * The billing suites' world (mock only): the fixtures at a frozen sandbox clock, the fixture users signed in, and
 * ledger records written through the admin API with the ledger's own functions.
 */
import type { TransactionRecord } from '../../server/apis/djaoapp/model/ledger.ts';
import { postOrderLine } from '../../server/apis/djaoapp/model/payments.ts';
import type { DjaoappState, PlanRecord, ProfileRecord } from '../../server/apis/djaoapp/state.ts';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { needsStandin, onStandin, targetIsStandin, type ConformanceTarget } from '../support/target.ts';
import { djaoappTarget, login } from './target.ts';

export interface BillingWorld {
  t: ConformanceTarget;
  /** Managers of cowork, the broker and provider. */
  donny: Record<string, string>;
  alice: Record<string, string>;
  /** The customer of ch_XAb124EF, manager of her personal profile only. */
  xia: Record<string, string>;
  /** A user who manages nothing. */
  joe: Record<string, string>;
}

export async function openBillingWorld(): Promise<BillingWorld> {
  const { target: t, credentials: creds } = await djaoappTarget();
  return {
    t,
    donny: await login(t, creds.manager),
    alice: await login(t, creds.otherManager),
    xia: await login(t, creds.member),
    joe: await login(t, creds.pending),
  };
}

/**
 * The file's billing world, opened as the file loads and closed after its last scenario. A target that is not a
 * Standin has none (undefined at run time): every scenario that reads it skips first (needsStandin).
 */
export async function billingWorldOfFile(): Promise<BillingWorld> {
  if (!targetIsStandin) return undefined as unknown as BillingWorld;
  const w = await openBillingWorld();
  afterAll(() => w.t.close());
  return w;
}

/**
 * A describe whose scenarios need a Standin (`why`, the skip reason elsewhere) and start from the fixtures with the
 * clock frozen at `now`; `w` is read on a Standin only.
 */
export function describeAt(w: BillingWorld, name: string, now: string, why: string, scenarios: () => void): void {
  describe(name, () => {
    beforeEach((ctx) => needsStandin(ctx, why));
    beforeAll(onStandin(() => resetAt(w.t, now)));
    scenarios();
  });
}

/** A describeAt whose scenarios start from the fixtures edited by `edit` (records the public API cannot make). */
export function describeEditedAt(
  w: BillingWorld,
  name: string,
  now: string,
  why: string,
  edit: (djaoapp: DjaoappState) => void,
  scenarios: () => void,
): void {
  describe(name, () => {
    beforeEach((ctx) => needsStandin(ctx, why));
    beforeAll(onStandin(() => resetAndEdit(w.t, now, edit)));
    scenarios();
  });
}

/** Back to the fixtures with the clock frozen at `now` (sign-ins stay valid: the users are the fixtures'). */
export async function resetAt(t: ConformanceTarget, now: string): Promise<void> {
  await t.admin('POST', '/reset');
  await t.admin('POST', '/clock', { set: now, freeze: true });
}

/** Back to the fixtures at `now` (see resetAt), then the state changed by `edit` (see editState). */
export async function resetAndEdit(
  t: ConformanceTarget,
  now: string,
  edit: (djaoapp: DjaoappState) => void,
): Promise<void> {
  await resetAt(t, now);
  await editState(t, edit);
}

/** Changes the sandbox's DjaoApp state (records the public API cannot make as they are). */
export async function editState(t: ConformanceTarget, edit: (djaoapp: DjaoappState) => void): Promise<void> {
  const state = await t.admin<any>('GET', '/state');
  edit(state.apis.djaoapp as DjaoappState);
  await t.admin('PUT', '/state', state);
}

/**
 * An unpaid order line dated `at`: the provider (cowork by default) invoices `subscriber` `amount` cents for a month
 * of subscription `subscription` to `plan`.
 */
export function orderLine(
  state: DjaoappState,
  at: string,
  subscriber: string,
  subscription: number,
  amount: number,
  { provider = 'cowork', plan = 'open-space' } = {},
): TransactionRecord {
  const start = new Date(at);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const descr = `Subscription to ${plan} until ${end.toISOString().slice(0, 10).replace(/-/g, '/')} (1 month)`;
  return postOrderLine(state, start, {
    provider,
    subscriber,
    subscription,
    start: start.toISOString(),
    end: end.toISOString(),
    amount,
    unit: 'usd',
    descr,
  });
}

/** Adds an organization made as cowork's profile is, but for its slug, name, e-mail (at localhost.localdomain) and `fields`. */
export function addOrganization(
  djaoapp: DjaoappState,
  slug: string,
  full_name: string,
  fields: Partial<ProfileRecord> = {},
): void {
  const cowork = djaoapp.profiles.find((p) => p.slug === 'cowork')!;
  djaoapp.profiles.push({ ...cowork, slug, full_name, email: `${slug}@localhost.localdomain`, ...fields });
}

/** Adds a plan made as cowork's open-space is, but for its slug, title and `fields`. */
export function addPlan(djaoapp: DjaoappState, slug: string, title: string, fields: Partial<PlanRecord> = {}): void {
  const openSpace = djaoapp.plans.find((p) => p.slug === 'open-space')!;
  djaoapp.plans.push({ ...openSpace, slug, title, ...fields });
}
