import type { AuthContext } from '../../core/plugin.ts';
import { jsonApiError } from './errors.ts';
import type { Principal, ProductiveState } from './state.ts';
import { entryOf } from '../../core/records.ts';

/** X-Auth-Token (the contract's authToken) names a person; X-Organization-Id (organizationId) must be that person's organization. */
export function authenticate(ctx: AuthContext<ProductiveState>): Principal {
  const token = ctx.credentials.apiKeys.authToken;
  const access = token ? entryOf(ctx.state.tokens, token) : undefined;
  if (!access)
    throw jsonApiError(401, [
      {
        status: '401',
        code: 'unauthenticated',
        title: 'Unauthenticated',
        detail: token ? 'The X-Auth-Token is not valid' : 'X-Auth-Token header is missing',
      },
    ]);
  const organizationId = ctx.credentials.apiKeys.organizationId;
  const organization = organizationId ? entryOf(ctx.state.organizations, organizationId) : undefined;
  if (!organization || organization.id !== access.organization_id)
    throw jsonApiError(403, [
      {
        status: '403',
        code: 'unauthorized',
        title: 'Unauthorized',
        detail: organizationId
          ? `You do not have access to organization ${organizationId}`
          : 'X-Organization-Id header is missing',
      },
    ]);
  return { person: ctx.state.people[access.person_id]!, organization };
}
