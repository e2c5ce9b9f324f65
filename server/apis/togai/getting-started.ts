/** How to start with Togai on its fixtures: each token with its tenant and access, the first tenant's records. */
import type { GettingStarted } from '../../core/plugin.ts';
import type { ApiToken, TogaiState } from './state.ts';

function access(token: ApiToken): string {
  if (token.disabled) return 'disabled: 403 on everything';
  if (token.rateLimit) return `${token.rateLimit.limit} requests per ${token.rateLimit.windowSeconds} s, then 429`;
  return token.access === 'read' ? 'read only: 403 on writes' : 'full access';
}

export function gettingStarted(state: TogaiState): GettingStarted {
  const tokens = Object.entries(state.tokens);
  const tenant = tokens[0]![1].tenant;
  const accounts = Object.values(state.accounts[tenant] ?? {});
  const purchases = Object.values(state.purchases).filter((p) => p.tenant === tenant);
  const plans = Object.values(state.pricePlans[tenant] ?? {});
  return {
    credentials: tokens.map(([token, t]) => ({
      who: `tenant ${state.tenants[t.tenant]?.name ?? t.tenant}, ${access(t)}`,
      schemes: { bearerAuth: token },
    })),
    records: [
      ...accounts.map((a) => ({ what: `account "${a.name}"`, id: a.id })),
      ...purchases.map((p) => ({ what: `purchase of ${p.accountId} (${p.type}, ${p.status})`, id: p.id })),
      ...plans.map((p) => ({ what: `price plan ${p.name}`, id: p.id })),
    ],
    firstRequest: { operationId: 'get_account', params: { account_id: accounts[0]!.id } },
    samples: [accounts[0], purchases[0]],
    reference: {
      'price plans': plans.map((p) => ({
        id: p.id,
        name: p.name,
        type: p.details.type,
        currencies: p.details.supportedCurrencies.join(', '),
      })),
      tenants: Object.values(state.tenants),
    },
  };
}
