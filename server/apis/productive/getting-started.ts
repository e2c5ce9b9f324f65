/** How to start with Productive on its fixtures: each token with its organization, that organization's records. */
import type { GettingStarted } from '../../core/plugin.ts';
import type { ProductiveState } from './state.ts';

const ofOrganization = <R extends { id: string; organization_id: number }>(records: Record<string, R>, org: number) =>
  Object.values(records).filter((r) => r.organization_id === org);

export function gettingStarted(state: ProductiveState): GettingStarted {
  const tokens = Object.entries(state.tokens);
  const [, first] = tokens[0]!;
  const org = first.organization_id;
  return {
    credentials: tokens.map(([token, { organization_id, person_id }]) => ({
      who: `person ${person_id} of organization ${organization_id}`,
      schemes: { authToken: token, organizationId: String(organization_id) },
    })),
    records: [
      { what: 'organization', id: org },
      ...ofOrganization(state.prices, org).map((p) => ({ what: `price "${p.name}" (${p.currency})`, id: p.id })),
      ...ofOrganization(state.service_types, org).map((s) => ({
        what: `service type "${s.attributes.name}"`,
        id: s.id,
      })),
      ...ofOrganization(state.companies, org).map((c) => ({ what: `company "${c.attributes.name}"`, id: c.id })),
      { what: 'person holding the token', id: first.person_id },
    ],
    firstRequest: { operationId: 'list_prices' },
    samples: ofOrganization(state.prices, org),
    reference: {
      currencies: Object.entries(state.exchange_rates).map(([currency, usd]) => ({ currency, 'in USD': usd })),
      'service types': ofOrganization(state.service_types, org).map((s) => ({ id: s.id, ...s.attributes })),
    },
  };
}
