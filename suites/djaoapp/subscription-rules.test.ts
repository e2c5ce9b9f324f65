/**
 * The DjaoApp rules of part 2, called directly: period arithmetic, renewals by the clock, subscription states,
 * grant and request keys, roles and role descriptions, plan slugs and writes, profile rename and archive,
 * permissions on profiles.
 */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../fixtures/djaoapp/index.ts';
import { newSubscriptionKeys, optinKey, subscribe } from '../../server/apis/djaoapp/model/optins.ts';
import { addMonths, addPeriods, isoInstant, periodEnd } from '../../server/apis/djaoapp/model/periods.ts';
import { canManageProfile, canReadProfile, hasRole } from '../../server/apis/djaoapp/model/permissions.ts';
import { planSlug, planWriteErrors } from '../../server/apis/djaoapp/plans/plans.ts';
import { archiveProfile, renameProfile } from '../../server/apis/djaoapp/model/profiles-store.ts';
import {
  isActive,
  latestEnd,
  renewalsSeen,
  renewDue,
  subscriberState,
  subscriptionState,
  unsubscribe,
} from '../../server/apis/djaoapp/model/renewals.ts';
import {
  deleteRoleDescription,
  filterRoleStatus,
  findRoleDescription,
  grantRole,
  requestRole,
  roleCounts,
  roleDescriptionSlug,
  roleDescriptionsOf,
} from '../../server/apis/djaoapp/model/roles-store.ts';
import type { DjaoappState, PlanRecord, SubscriptionRecord } from '../../server/apis/djaoapp/state.ts';
import { updatedEndsAt } from '../../server/apis/djaoapp/subscriptions/subscriptions.ts';

const d = (iso: string) => new Date(iso);
const plan = (state: DjaoappState, slug: string) => state.plans.find((p) => p.slug === slug)!;
const sub = (state: DjaoappState, id: number) => state.subscriptions.find((s) => s.id === id)!;
const user = (state: DjaoappState, slug: string) => state.users.find((u) => u.slug === slug)!;

describe('periods', () => {
  it('adds calendar months, clamping the day to the end of a shorter month as relativedelta does', () => {
    expect(addMonths(d('2019-01-31T10:00:00Z'), 1).toISOString()).toBe('2019-02-28T10:00:00.000Z');
    expect(addMonths(d('2020-01-31T00:00:00Z'), 1).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(addMonths(d('2019-12-15T00:00:00Z'), 1).toISOString()).toBe('2020-01-15T00:00:00.000Z');
    expect(addMonths(d('2020-02-29T00:00:00Z'), 12).toISOString()).toBe('2021-02-28T00:00:00.000Z');
    expect(addMonths(d('2019-03-31T00:00:00Z'), -1).toISOString()).toBe('2019-02-28T00:00:00.000Z');
  });

  it('adds period_length × period_type: hours, days, weeks, months, years', () => {
    const start = d('2019-01-31T12:00:00Z');
    expect(addPeriods(start, 'hourly', 6).toISOString()).toBe('2019-01-31T18:00:00.000Z');
    expect(addPeriods(start, 'daily', 2).toISOString()).toBe('2019-02-02T12:00:00.000Z');
    expect(addPeriods(start, 'weekly', 1).toISOString()).toBe('2019-02-07T12:00:00.000Z');
    expect(addPeriods(start, 'monthly', 3).toISOString()).toBe('2019-04-30T12:00:00.000Z');
    expect(addPeriods(start, 'yearly', 2).toISOString()).toBe('2021-01-31T12:00:00.000Z');
    expect(addPeriods(start, 'monthly', 1, 2).toISOString()).toBe('2019-03-31T12:00:00.000Z');
    expect(periodEnd({ period_type: 'monthly', period_length: 6 }, d('2018-01-01T00:00:00Z')).toISOString()).toBe('2018-07-01T00:00:00.000Z');
  });

  it('writes instants without milliseconds when there are none', () => {
    expect(isoInstant(d('2019-01-01T00:00:00Z'))).toBe('2019-01-01T00:00:00Z');
    expect(isoInstant(d('2019-01-01T00:00:00.250Z'))).toBe('2019-01-01T00:00:00.250Z');
  });
});

describe('subscription states by the clock', () => {
  it('pending while a key waits, active within its period, expired (churned) once ends_at is reached', () => {
    const state = djaoappFixtures();
    const openSpace = sub(state, 1);
    expect(subscriptionState(openSpace, d('2018-06-01T00:00:00Z'))).toBe('active');
    expect(subscriptionState(openSpace, d('2019-01-01T00:00:00Z'))).toBe('expired');
    expect(subscriptionState(openSpace, d('2017-06-01T00:00:00Z'))).toBe('upcoming');
    expect(subscriptionState({ ...openSpace, grant_key: 'k' }, d('2018-06-01T00:00:00Z'))).toBe('pending');
    expect(subscriptionState({ ...openSpace, request_key: 'k' }, d('2019-06-01T00:00:00Z'))).toBe('expired');
    expect(isActive(openSpace, d('2018-06-01T00:00:00Z'))).toBe(true);
  });

  it('a subscriber is active while any subscription is, churned once all have ended', () => {
    const state = djaoappFixtures();
    const subs = state.subscriptions.filter((s) => s.organization === 'xia');
    expect(subscriberState(subs, d('2018-06-01T00:00:00Z'))).toBe('active');
    expect(subscriberState(subs, d('2019-06-01T00:00:00Z'))).toBe('churned');
    expect(subscriberState([{ ...subs[0]!, grant_key: 'k' }], d('2018-06-01T00:00:00Z'))).toBe('pending');
    expect(latestEnd(subs)).toBe('2019-01-01T00:00:00Z');
    expect(latestEnd([])).toBeNull();
  });
});

describe('renewals', () => {
  it('renew an auto-renewing subscription period by period once the clock passes its end', () => {
    const state = djaoappFixtures();
    const events = renewDue(state, d('2019-03-15T00:00:00Z'));
    expect(events.map((e) => [e.period_start, e.period_end])).toEqual([
      ['2019-01-01T00:00:00Z', '2019-02-01T00:00:00Z'],
      ['2019-02-01T00:00:00Z', '2019-03-01T00:00:00Z'],
      ['2019-03-01T00:00:00Z', '2019-04-01T00:00:00Z'],
    ]);
    expect(events[0]).toMatchObject({ subscription: 1, organization: 'xia', plan: 'open-space', provider: 'cowork', amount: 17999, unit: 'usd' });
    expect(sub(state, 1).ends_at).toBe('2019-04-01T00:00:00Z');
    expect(state.renewals_at).toBe('2019-03-15T00:00:00.000Z');
    expect(renewDue(state, d('2019-03-20T00:00:00Z'))).toEqual([]);
  });

  it('leave churned what had ended before the job last ran (the fixture\'s 2017 subscription to premium)', () => {
    const state = djaoappFixtures();
    renewDue(state, d('2019-03-15T00:00:00Z'));
    expect(sub(state, 2).ends_at).toBe('2017-01-14T23:16:55Z');
  });

  it('never renew a cancelled, pending, one-time or no longer auto-renewing subscription', () => {
    for (const change of [
      (s: DjaoappState) => unsubscribe(sub(s, 1), d('2018-06-01T00:00:00Z')),
      (s: DjaoappState) => void (sub(s, 1).grant_key = optinKey()),
      (s: DjaoappState) => void (sub(s, 1).request_key = optinKey()),
      (s: DjaoappState) => void (sub(s, 1).auto_renew = false),
      (s: DjaoappState) => void (plan(s, 'open-space').renewal_type = 'one-time'),
    ]) {
      const state = djaoappFixtures();
      const before = sub(state, 1).ends_at;
      change(state);
      const ends = sub(state, 1).ends_at;
      expect(renewDue(state, d('2019-06-01T00:00:00Z'))).toEqual([]);
      expect(sub(state, 1).ends_at).toBe(ends);
      expect(ends <= before).toBe(true);
    }
  });

  it('a subscription moved into the past by a write does not renew: the job has seen the write', () => {
    const state = djaoappFixtures();
    const now = d('2018-06-01T00:00:00Z');
    sub(state, 1).ends_at = '2018-05-01T00:00:00Z';
    renewalsSeen(state, now);
    expect(renewDue(state, d('2018-08-01T00:00:00Z'))).toEqual([]);
  });

  it('a clock moved back rewinds the job: what is valid then renews when the clock passes its end again', () => {
    const state = djaoappFixtures();
    state.renewals_at = '2030-01-01T00:00:00Z';
    expect(renewDue(state, d('2018-06-01T00:00:00Z'))).toEqual([]);
    expect(state.renewals_at).toBe('2018-06-01T00:00:00.000Z');
    expect(renewDue(state, d('2019-01-02T00:00:00Z'))).toHaveLength(1);
  });

  it('use the plan\'s current period and amount', () => {
    const state = djaoappFixtures();
    Object.assign(plan(state, 'open-space'), { period_type: 'weekly', period_length: 2, period_amount: 5000 });
    const events = renewDue(state, d('2019-01-10T00:00:00Z'));
    expect(events).toEqual([expect.objectContaining({ period_start: '2019-01-01T00:00:00Z', period_end: '2019-01-15T00:00:00Z', amount: 5000 })]);
  });

  it('unsubscribe ends a current subscription now and stops its renewal; an ended one is left alone', () => {
    const state = djaoappFixtures();
    expect(unsubscribe(sub(state, 1), d('2018-06-01T00:00:00Z'))).toBe(true);
    expect(sub(state, 1)).toMatchObject({ ends_at: '2018-06-01T00:00:00Z', auto_renew: false });
    expect(unsubscribe(sub(state, 2), d('2018-06-01T00:00:00Z'))).toBe(false);
    expect(sub(state, 2).ends_at).toBe('2017-01-14T23:16:55Z');
  });
});

describe('subscription grants and requests', () => {
  it('keys: a provider\'s grant waits unless skip_optin_on_grant; a subscriber\'s request waits only with optin_on_request', () => {
    const base = djaoappFixtures().plans[0]!;
    expect(optinKey()).toMatch(/^[0-9a-f]{40}$/);
    expect(optinKey()).not.toBe(optinKey());
    expect(newSubscriptionKeys(base, 'provider')).toEqual({ grant_key: expect.stringMatching(/^[0-9a-f]{40}$/), request_key: null });
    expect(newSubscriptionKeys({ ...base, skip_optin_on_grant: true }, 'provider')).toEqual({ grant_key: null, request_key: null });
    expect(newSubscriptionKeys(base, 'subscriber')).toEqual({ grant_key: null, request_key: null });
    expect(newSubscriptionKeys({ ...base, optin_on_request: true }, 'subscriber')).toEqual({ grant_key: null, request_key: expect.any(String) });
  });

  it('subscribe starts one period from now, or answers the current subscription', () => {
    const state = djaoappFixtures();
    const now = d('2018-06-01T00:00:00Z');
    const premium = plan(state, 'premium');
    const first = subscribe(state, 'xia', premium, now, 'provider');
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({ id: 3, created_at: '2018-06-01T00:00:00.000Z', ends_at: '2018-07-01T00:00:00Z', auto_renew: true, request_key: null });
    expect(first.subscription.grant_key).toMatch(/^[0-9a-f]{40}$/);
    expect(subscribe(state, 'xia', premium, now, 'provider')).toEqual({ subscription: first.subscription, created: false });
    expect(subscribe(state, 'xia', plan(state, 'open-space'), now, 'provider')).toEqual({ subscription: sub(state, 1), created: false });
    const once: PlanRecord = { ...premium, slug: 'once', renewal_type: 'one-time' };
    state.plans.push(once);
    expect(subscribe(state, 'xia', once, now, 'subscriber').subscription).toMatchObject({ auto_renew: false, grant_key: null });
  });

  it('a subscriber brings the end closer only; the provider sets any end', () => {
    const s = { ends_at: '2019-01-01T00:00:00Z' } as SubscriptionRecord;
    const now = d('2018-06-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2020-01-01T00:00:00Z'), true, now)).toBe('2020-01-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2020-01-01T00:00:00Z'), false, now)).toBe('2019-01-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2018-09-01T00:00:00Z'), false, now)).toBe('2018-09-01T00:00:00Z');
    expect(updatedEndsAt(s, d('2018-02-01T00:00:00Z'), false, now)).toBe('2018-06-01T00:00:00Z');
  });
});

describe('roles and role descriptions', () => {
  const now = d('2020-01-01T00:00:00Z');

  it('a profile sees the global descriptions and its own; new slugs come from the title, suffixed when seen', () => {
    const state = djaoappFixtures();
    expect(roleDescriptionsOf(state, 'cowork').map((r) => r.slug)).toEqual(['contributor', 'manager']);
    expect(roleDescriptionsOf(state, 'xia').map((r) => r.slug)).toEqual(['manager']);
    expect(roleDescriptionSlug(state, 'cowork', 'Support Team')).toBe('support-team');
    expect(roleDescriptionSlug(state, 'cowork', 'Contributor')).toBe('contributor-1');
    expect(roleDescriptionSlug(state, 'xia', 'Contributor')).toBe('contributor');
    expect(roleDescriptionSlug(state, 'xia', 'Manager!')).toBe('manager-1');
    expect(findRoleDescription(state, 'xia', 'contributor')).toBeUndefined();
  });

  it('a grant waits for the user unless the description skips the opt-in; the same grant again changes nothing', () => {
    const state = djaoappFixtures();
    const contributor = findRoleDescription(state, 'cowork', 'contributor')!;
    const first = grantRole(state, 'cowork', 'joe1', contributor, now);
    expect(first).toMatchObject({ created: true, role: { role_description: 'contributor', request_key: null } });
    expect(first.role.grant_key).toMatch(/^[0-9a-f]{40}$/);
    expect(grantRole(state, 'cowork', 'joe1', contributor, now)).toEqual({ role: first.role, created: false });
    contributor.skip_optin_on_grant = true;
    const manager = findRoleDescription(state, 'cowork', 'manager')!;
    expect(grantRole(state, 'cowork', 'joe1', manager, now).role).toMatchObject({ role_description: 'manager' });
    expect(state.roles.filter((r) => r.organization === 'cowork' && r.user === 'joe1')).toHaveLength(1);
    expect(grantRole(state, 'cowork', 'joe1', contributor, now).role.grant_key).toBeNull();
    expect(grantRole(state, 'xia', 'joe1', contributor, now, { forceOptin: true }).role.grant_key).not.toBeNull();
  });

  it('a request waits for a manager; granting it accepts it without a key; a user with a role gets it back', () => {
    const state = djaoappFixtures();
    const request = requestRole(state, 'cowork', 'joe1', null, now);
    expect(request).toMatchObject({ created: true, role: { role_description: null, grant_key: null } });
    expect(request.role.request_key).toMatch(/^[0-9a-f]{40}$/);
    expect(requestRole(state, 'cowork', 'joe1', null, now)).toEqual({ role: request.role, created: false });
    const granted = grantRole(state, 'cowork', 'joe1', findRoleDescription(state, 'cowork', 'contributor')!, now);
    expect(granted).toMatchObject({ created: true, role: { role_description: 'contributor', request_key: null, grant_key: null } });
    expect(requestRole(state, 'cowork', 'donny', null, now).created).toBe(false);
  });

  it('role_status selects active, invited, requested; counts are of the whole list', () => {
    const state = djaoappFixtures();
    requestRole(state, 'cowork', 'joe1', null, now);
    const roles = state.roles.filter((r) => r.organization === 'cowork');
    expect(roleCounts(roles)).toEqual({ invited_count: 1, requested_count: 1 });
    expect(filterRoleStatus(roles, 'active').map((r) => r.user).sort()).toEqual(['alice', 'donny']);
    expect(filterRoleStatus(roles, 'invited').map((r) => r.user)).toEqual(['xia']);
    expect(filterRoleStatus(roles, 'requested,invited').map((r) => r.user).sort()).toEqual(['joe1', 'xia']);
    expect(filterRoleStatus(roles, 'bogus')).toHaveLength(4);
    expect(filterRoleStatus(roles, undefined)).toHaveLength(4);
  });

  it('deleting a description deletes its roles: everywhere for a global one, on its profile for a local one', () => {
    const state = djaoappFixtures();
    grantRole(state, 'cowork', 'joe1', findRoleDescription(state, 'cowork', 'contributor')!, now);
    deleteRoleDescription(state, findRoleDescription(state, 'cowork', 'contributor')!);
    expect(state.roles.some((r) => r.role_description === 'contributor')).toBe(false);
    expect(state.role_descriptions.map((r) => r.slug)).toEqual(['manager']);
    deleteRoleDescription(state, findRoleDescription(state, 'cowork', 'manager')!);
    expect(state.roles).toEqual([]);
  });
});

describe('plans', () => {
  it('slugs come from the title, unique among every provider\'s plans', () => {
    const state = djaoappFixtures();
    expect(planSlug(state, 'Hot Desk')).toBe('hot-desk');
    expect(planSlug(state, 'Open Space')).toBe('open-space-1');
    expect(planSlug(state, 'Open Space', plan(state, 'open-space'))).toBe('open-space');
    expect(planSlug(state, '!!!')).toBe('plan');
  });

  it('a title the provider already uses is a plain-string error; an interval contradicting period_type too', () => {
    const state = djaoappFixtures();
    expect(planWriteErrors(state, 'cowork', { title: 'Premium' })).toEqual({ title: 'A plan with this title already exists.' });
    expect(planWriteErrors(state, 'cowork', { title: 'Premium' }, plan(state, 'premium'))).toEqual({});
    expect(planWriteErrors(state, 'xia', { title: 'Premium' })).toEqual({});
    expect(planWriteErrors(state, 'cowork', { period_type: 'monthly', interval: 'yearly' })).toHaveProperty('interval');
    expect(planWriteErrors(state, 'cowork', { advance_discounts: [{ discount_type: 'percentage', discount_value: 10001, length: 3 }] })).toHaveProperty('advance_discounts');
  });
});

describe('profiles', () => {
  it('a rename follows every reference; a personal profile takes its user along', () => {
    const state = djaoappFixtures();
    renameProfile(state, 'xia', 'xia-lee');
    expect(state.users.map((u) => u.slug)).toContain('xia-lee');
    expect(state.roles.filter((r) => r.user === 'xia-lee').map((r) => r.organization).sort()).toEqual(['cowork', 'xia-lee']);
    expect(state.subscriptions.every((s) => s.organization === 'xia-lee')).toBe(true);
    renameProfile(state, 'cowork', 'coworking');
    expect(state.broker).toBe('coworking');
    expect(state.plans.every((p) => p.organization === 'coworking')).toBe(true);
    expect(state.role_descriptions.find((r) => r.slug === 'contributor')!.organization).toBe('coworking');
  });

  it('deleting archives the profile: its subscriptions keep their history, its roles go, its user stays', () => {
    const state = djaoappFixtures();
    const slug = archiveProfile(state, state.profiles.find((p) => p.slug === 'xia')!);
    expect(slug).toBe('_archive_1');
    expect(state.profiles.map((p) => p.slug)).toEqual(['cowork']);
    expect(state.archived_profiles).toEqual([expect.objectContaining({ slug: '_archive_1', email: 'xia+1@localhost.localdomain' })]);
    expect(state.subscriptions.every((s) => s.organization === '_archive_1')).toBe(true);
    expect(state.roles.some((r) => r.organization === 'xia')).toBe(false);
    expect(state.users.some((u) => u.slug === 'xia')).toBe(true);
    const cowork = archiveProfile(state, state.profiles[0]!);
    expect(state.plans.every((p) => p.organization === cowork && !p.is_active)).toBe(true);
    expect(state.role_descriptions.map((r) => r.slug)).toEqual(['manager']);
  });
});

describe('permissions on profiles', () => {
  it('managers manage, any accepted role reads, the broker\'s managers do both everywhere; pending roles give nothing', () => {
    const state = djaoappFixtures();
    const now = d('2020-01-01T00:00:00Z');
    grantRole(state, 'xia', 'joe1', { ...findRoleDescription(state, 'cowork', 'contributor')!, skip_optin_on_grant: true }, now);
    expect(hasRole(state, 'joe1', 'xia')).toBe(true);
    expect(canReadProfile(state, user(state, 'joe1'), 'xia')).toBe(true);
    expect(canManageProfile(state, user(state, 'joe1'), 'xia')).toBe(false);
    expect(canManageProfile(state, user(state, 'xia'), 'xia')).toBe(true);
    expect(canManageProfile(state, user(state, 'xia'), 'cowork')).toBe(false);
    expect(canReadProfile(state, user(state, 'xia'), 'cowork')).toBe(false);
    expect(canManageProfile(state, user(state, 'donny'), 'xia')).toBe(true);
    expect(canReadProfile(state, null, 'xia')).toBe(false);
  });
});
