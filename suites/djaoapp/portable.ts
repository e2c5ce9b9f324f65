/**
 * What lets a DjaoApp scenario run on any target: a user who manages nothing where the target registers users, and
 * the undoing of what a scenario created on a real backend.
 */
import { afterAll, expect, type TestContext } from 'vitest';
import { type ConformanceTarget, credential, expandPath, targetIsStandin } from '../support/target.ts';
import { openSession, sendRegistration, type DjaoappSession } from './target.ts';

/** The broker (hosting profile) the configured managers manage: DJAOAPP_BROKER, `cowork` by default. */
export const broker = credential('DJAOAPP_BROKER', 'cowork');

/** A card token the target's processor accepts: DJAOAPP_CARD_TOKEN, Standin's test card `tok_visa` by default. */
export const cardToken = credential('DJAOAPP_CARD_TOKEN', 'tok_visa');

export interface Stranger {
  username: string;
  password: string;
  headers: Record<string, string>;
}

/**
 * A user who manages nothing, registered through /api/auth/register/; undefined where the target does not register
 * users (a djaodjin-saas site: its `^api/auth/` route is the login view, which answers a registration 500).
 */
export async function strangerIfRegistering(t: ConformanceTarget, prefix = 'stranger'): Promise<Stranger | undefined> {
  const { username, password, res } = await sendRegistration(t, prefix);
  if (res.status !== 201 || typeof res.body?.token !== 'string') return undefined;
  return { username, password, headers: { Authorization: `Bearer ${res.body.token}` } };
}

/** Skips the running scenario when the target registers no user (the configured users all manage something). */
export function needsStranger(
  ctx: Pick<TestContext, 'skip'>,
  stranger: Stranger | undefined,
): asserts stranger is Stranger {
  ctx.skip(stranger === undefined, 'needs a user who manages nothing: the target does not serve /api/auth/register/');
}

/** Undo steps run in afterAll, last first, so a real backend is left as the suite found it. */
export class Cleanup {
  private readonly steps: Array<() => Promise<unknown>> = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch(() => undefined);
    this.steps.length = 0;
  }
}

/**
 * The file's session (see openSession), opened as the file loads, and its undo steps: run after the file's last
 * scenario, then the target closes.
 */
export async function sessionWithCleanup(): Promise<DjaoappSession & { cleanup: Cleanup }> {
  const session = await openSession();
  const cleanup = new Cleanup();
  afterAll(async () => {
    await cleanup.run();
    await session.t.close();
  });
  return { ...session, cleanup };
}

/** Why the scenarios that make their own organizations skip on a djaodjin-saas 0.11.0 site (405 to the POST). */
export const NO_PROFILE_CREATION =
  'makes its own organizations through POST /api/profile/, which the target does not serve';

/**
 * Creates an organization through POST /api/profile/ and says whether it was; on a Standin it must be. Deleted again
 * by `cleanup` (a real backend archives it).
 */
export async function profileCreated(
  t: ConformanceTarget,
  headers: Record<string, string>,
  body: Record<string, unknown>,
  cleanup: Cleanup,
): Promise<boolean> {
  const op = t.operation('profiles_create');
  const res = await t.send('POST', op.path, { headers, body }, op);
  if (targetIsStandin) expect(res.status, 'profiles_create').toBe(201);
  if (res.status !== 201) return false;
  expect(t.contractProblems('profiles_create', res), 'profiles_create must match the contract').toEqual([]);
  cleanup.add(() =>
    t.send('DELETE', expandPath(t.operation('profiles_destroy').path, { organization: res.body.slug }), { headers }),
  );
  return true;
}

/**
 * A plan of the broker (monthly and active unless `body` says otherwise), deactivated and deleted by `cleanup` (deleted
 * only when nobody subscribed): its slug.
 */
export async function brokerPlan(
  t: ConformanceTarget,
  manager: Record<string, string>,
  cleanup: Cleanup,
  body: { title: string } & Record<string, unknown>,
): Promise<string> {
  const res = await t.call('plans_create', {
    params: { organization: broker },
    headers: manager,
    body: { period_type: 'monthly', is_active: true, ...body },
  });
  expect(res.status).toBe(201);
  const plan = res.body.slug as string;
  cleanup.add(async () => {
    await t.send('PUT', `/api/profile/${broker}/plans/${plan}/`, { headers: manager, body: { is_active: false } });
    await t.send('DELETE', `/api/profile/${broker}/plans/${plan}/`, { headers: manager });
  });
  return plan;
}

/**
 * The slugs on every page of a list, found by following its pages: a backend may ignore the search `q` (djaodjin-saas
 * 0.11.0 does for plans), so what a scenario made may sit on any page.
 */
export async function slugsOnEveryPage(
  t: ConformanceTarget,
  operationId: string,
  options: { params?: Record<string, string>; query?: Record<string, string>; headers: Record<string, string> },
): Promise<string[]> {
  const slugs: string[] = [];
  for (let page = 1; ; page++) {
    const res = await t.call(operationId, { ...options, query: { ...options.query, page: String(page) } });
    expect(res.status, `${operationId} page ${page}`).toBe(200);
    slugs.push(...res.body.results.map((r: { slug: string }) => r.slug));
    if (!res.body.next) return slugs;
  }
}
