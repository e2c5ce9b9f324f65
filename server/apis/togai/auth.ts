/** Bearer tokens: each names a tenant; read-only tokens may not write, disabled ones are refused, some are rate limited. */
import type { AuthContext } from '../../core/plugin.ts';
import { togaiError } from './errors.ts';
import type { Principal, TogaiState } from './state.ts';
import { entryOf } from '../../core/records.ts';
import { rawOf } from '../../core/sandbox/transaction.ts';

/** Request counts per token and window; kept beside the state (not in it), so a reset sandbox starts afresh. */
const windows = new WeakMap<TogaiState, Map<string, { start: number; count: number }>>();

/**
 * Whether one more request fits the token's limit in the window containing `now` (fixed windows of the
 * sandbox clock). Returns the seconds to wait when it does not.
 */
export function takeRateLimit(
  counters: Map<string, { start: number; count: number }>,
  token: string,
  limit: { limit: number; windowSeconds: number },
  now: Date,
): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
  const size = limit.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  const current = counters.get(token);
  const window = current && current.start === start ? current : { start, count: 0 };
  if (window.count >= limit.limit)
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + size - now.getTime()) / 1000)) };
  window.count += 1;
  counters.set(token, window);
  return { allowed: true };
}

export function authenticate(ctx: AuthContext<TogaiState>): Principal {
  const token = ctx.credentials.bearer;
  const access = token ? entryOf(ctx.state.tokens, token) : undefined;
  if (!token || !access) throw togaiError(401, 'Unauthorized');
  if (access.rateLimit) {
    // A request that may write sees its state through a transaction's view: count against the state itself.
    const state = rawOf(ctx.state);
    let counters = windows.get(state);
    if (!counters) windows.set(state, (counters = new Map()));
    const verdict = takeRateLimit(counters, token, access.rateLimit, ctx.now());
    if (!verdict.allowed)
      throw togaiError(429, 'Too Many Requests', { 'Retry-After': String(verdict.retryAfterSeconds) });
  }
  if (access.disabled) throw togaiError(403, 'User is not authorized to access this resource');
  if (access.access === 'read' && ctx.operation.method !== 'get')
    throw togaiError(403, 'This API token is read-only and may not perform this operation');
  const tenant = entryOf(ctx.state.tenants, access.tenant);
  if (!tenant) throw togaiError(401, 'Unauthorized');
  return { token, tenant };
}
