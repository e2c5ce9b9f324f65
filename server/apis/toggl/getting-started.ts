/**
 * How to start with Toggl on its fixtures: each user's e-mail and password (and the first one's API token), the
 * organizations, workspaces and subscriptions they reach, and the catalogue: plans, currencies, countries and their
 * subdivisions (the ids customer contact details take).
 */
import type { GettingStarted } from '../../core/plugin.ts';
import type { TogglState, User } from './state.ts';

function roles(state: TogglState, user: User): string {
  const orgs = Object.values(state.organizations).filter((o) => o.user_ids.includes(user.id));
  if (!orgs.length) return 'in no organization';
  return orgs.map((o) => `${o.admin_ids.includes(user.id) ? 'admin' : 'member'} of organization ${o.id}`).join(', ');
}

export function gettingStarted(state: TogglState): GettingStarted {
  const users = Object.values(state.users);
  const first = users[0]!;
  const organization = Object.values(state.organizations).find(
    (o) => o.admin_ids.includes(first.id) && o.subscription_id !== null,
  )!;
  return {
    credentials: [
      ...users.map((u) => ({
        who: `${u.fullname}, ${roles(state, u)}`,
        schemes: { basicAuth: { username: u.email, password: u.password } },
      })),
      {
        who: `${first.fullname} by API token`,
        schemes: { basicAuth: { username: first.api_token, password: 'api_token' } },
      },
    ],
    records: [
      ...Object.values(state.organizations).map((o) => ({ what: `organization "${o.name}"`, id: o.id })),
      ...Object.values(state.workspaces).map((w) => ({
        what: `workspace "${w.name}" of organization ${w.organization_id}`,
        id: w.id,
      })),
      ...Object.values(state.subscriptions).map((s) => ({
        what: `subscription (${s.status}) of organization ${s.organization_id}`,
        id: s.subscription_id,
      })),
      ...Object.values(state.customers).map((c) => ({
        what: `customer of organization ${c.organization_id}`,
        id: c.customer_id,
      })),
      ...Object.values(state.invoices).map((i) => ({ what: `invoice of organization ${i.organization_id}`, id: i.id })),
    ],
    firstRequest: { operationId: 'get_organization_subscription', params: { organization_id: organization.id } },
    samples: [state.customers[organization.customer_id ?? ''], state.subscriptions[organization.subscription_id ?? '']],
    reference: {
      plans: state.plans.flatMap((p) =>
        p.pricing_plans.map((pp) => ({
          plan_id: p.plan_id,
          plan: p.name,
          public: p.public,
          pricing_plan_id: pp.pricing_plan_id,
          pricing_plan: pp.name,
          months: pp.period,
          ...Object.fromEntries(Object.entries(pp.seat_month_cents).map(([c, cents]) => [`seat/month ${c}`, cents])),
        })),
      ),
      currencies: state.currencies,
      countries: Object.values(state.countries),
      subdivisions: Object.values(state.subdivisions).map((s) => ({
        country_subdivision_id: s.country_subdivision_id,
        name: s.name,
        iso_code: s.iso_code,
        country_id: s.country_id,
        country: state.countries[s.country_id]?.name,
        zip_prefixes: s.zip_prefixes?.join(' '),
      })),
    },
  };
}
