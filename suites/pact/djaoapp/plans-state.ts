/**
 * The plans pact's provider state on a DjaoApp backend that is not a Standin, set through its public API as the
 * broker's manager: cowork sells open-space (created when absent) and premium, xia subscribes to open-space, and
 * the pact's own writes from an earlier interaction or run are undone where the API allows it (the Hot Desk plan
 * it creates is deleted; xia's premium subscription it grants is ended). A plan with subscribers cannot be
 * deleted, so open-space stays on the backend.
 */
import { jsonRequest } from './shared.ts';

export interface Manager {
  username: string;
  password: string;
}

async function signIn(baseUrl: string, manager: Manager): Promise<string> {
  return (await jsonRequest(baseUrl, undefined, 'POST', '/api/auth/', manager)).token;
}

/** The parsed answer, or undefined on a 404. */
async function found(request: Promise<any>): Promise<any> {
  try {
    return await request;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

const isRunning = (subscription: { ends_at?: string } | undefined, now: number) =>
  subscription !== undefined && Date.parse(subscription.ends_at ?? '') > now;

export async function plansStateThroughPublicApi(baseUrl: string, manager: Manager): Promise<void> {
  const token = await signIn(baseUrl, manager);
  const call = (method: string, path: string, body?: unknown) => jsonRequest(baseUrl, token, method, path, body);
  const plans = '/api/profile/cowork/plans';
  const now = Date.now();

  if (!(await found(call('GET', `${plans}/open-space/`))))
    await call('POST', `${plans}/`, {
      title: 'Open Space',
      period_amount: 17999,
      interval: 'monthly',
      is_active: true,
    });
  if (!isRunning(await found(call('GET', `${plans}/open-space/subscriptions/xia/`)), now))
    // djaodjin-saas 0.11.0 requires the subscriber's full_name even for an existing profile.
    await call('POST', `${plans}/open-space/subscriptions/`, { organization: { slug: 'xia', full_name: 'Xia Lee' } });

  if (await found(call('GET', `${plans}/hot-desk/`))) await call('DELETE', `${plans}/hot-desk/`);
  if (isRunning(await found(call('GET', `${plans}/premium/subscriptions/xia/`)), now))
    await call('DELETE', `${plans}/premium/subscriptions/xia/`);
}
