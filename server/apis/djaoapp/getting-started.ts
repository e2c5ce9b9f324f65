/**
 * How to start with DjaoApp on its fixtures: sign in as a user whose stored password is the fixtures' (a JWT from
 * auth_login, sent as a Bearer token), the broker's profiles, plans, subscriptions, charges and coupons.
 */
import type { GettingStarted, StartCredential } from '../../core/plugin.ts';
import { FIXTURE_PASSWORD } from '../../../fixtures/djaoapp/index.ts';
import { checkPassword } from './model/credentials.ts';
import type { DjaoappState, UserRecord } from './state.ts';

function roles(state: DjaoappState, user: UserRecord): string {
  const held = state.roles.filter((r) => r.user === user.slug && r.role_description && !r.grant_key);
  return held.length ? held.map((r) => `${r.role_description} of ${r.organization}`).join(', ') : 'no role';
}

function signIn(state: DjaoappState, user: UserRecord): StartCredential {
  return {
    who: `${user.slug} (${user.full_name}), ${roles(state, user)}`,
    schemes: {
      bearerJWT: {
        login: {
          operationId: 'auth_login',
          body: { username: user.slug, password: FIXTURE_PASSWORD },
          tokenField: 'token',
        },
      },
    },
  };
}

export function gettingStarted(state: DjaoappState): GettingStarted {
  const users = state.users.filter((u) => checkPassword(u, FIXTURE_PASSWORD));
  const managers = state.roles.filter((r) => r.organization === state.broker && !r.grant_key).map((r) => r.user);
  const ordered = [...users].sort((a, b) => Number(!managers.includes(a.slug)) - Number(!managers.includes(b.slug)));
  return {
    credentials: ordered.map((u) => signIn(state, u)),
    records: [
      ...state.profiles.map((p) => ({
        what: `${p.type} profile "${p.full_name}"${p.slug === state.broker ? ', the broker' : ''}`,
        id: p.slug,
      })),
      ...state.plans.map((p) => ({ what: `plan "${p.title}" of ${p.organization}`, id: p.slug })),
      ...state.subscriptions.map((s) => ({ what: `subscription of ${s.organization} to ${s.plan}`, id: s.id })),
      ...state.charges.map((c) => ({ what: `charge to ${c.customer} (${c.amount} ${c.unit})`, id: c.processor_key })),
      ...state.coupons.map((c) => ({ what: `coupon of ${c.organization}`, id: c.code })),
    ],
    firstRequest: { operationId: 'plans_list', params: { organization: state.broker } },
    samples: [ordered[0], state.profiles.find((p) => p.slug === state.broker), state.plans[0], state.subscriptions[0]],
    reference: {
      plans: state.plans.map((p) => ({
        slug: p.slug,
        title: p.title,
        organization: p.organization,
        period_amount: p.period_amount,
        unit: p.unit,
        period_type: p.period_type,
        is_active: p.is_active,
      })),
      coupons: state.coupons.map((c) => ({
        code: c.code,
        organization: c.organization,
        discount_type: c.discount_type,
        discount_value: c.discount_value,
      })),
    },
  };
}
