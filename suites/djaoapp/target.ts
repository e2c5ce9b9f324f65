import { afterAll, expect, type TestContext } from 'vitest';
import {
  conformanceTarget,
  credential,
  targetIsStandin,
  type ApiResponse,
  type ConformanceTarget,
} from '../support/target.ts';

export interface DjaoappCredentials {
  /** A manager of the broker (the hosting profile). */
  manager: { username: string; password: string };
  /** A second broker manager. */
  otherManager: { username: string; password: string };
  /** A user who manages only their own personal profile. */
  member: { username: string; password: string };
  /** A user with the pending activation key and reset link of the seed (mock only). */
  pending: { username: string; password: string };
}

/**
 * The DjaoApp target with its credentials: the fixtures' (donny, alice, xia, joe1, password "yoyo") by default, or
 * DJAOAPP_MANAGER / DJAOAPP_MANAGER_PASSWORD, DJAOAPP_OTHER_MANAGER / ..._PASSWORD, DJAOAPP_MEMBER / ..._PASSWORD,
 * DJAOAPP_PENDING / ..._PASSWORD for a real backend (STANDIN_TARGET = the site's base URL).
 */
export async function djaoappTarget(): Promise<{ target: ConformanceTarget; credentials: DjaoappCredentials }> {
  const pair = (name: string, username: string) => ({
    username: credential(`DJAOAPP_${name}`, username),
    password: credential(`DJAOAPP_${name}_PASSWORD`, 'yoyo'),
  });
  const credentials: DjaoappCredentials = {
    manager: pair('MANAGER', 'donny'),
    otherManager: pair('OTHER_MANAGER', 'alice'),
    member: pair('MEMBER', 'xia'),
    pending: pair('PENDING', 'joe1'),
  };
  return { target: await conformanceTarget('djaoapp'), credentials };
}

/**
 * Logs in and returns the Authorization header for the user. It runs in beforeAll hooks, where soft expectations
 * are not allowed, so it checks the answer against the contract itself instead of going through `t.call`.
 */
export async function login(
  t: ConformanceTarget,
  user: { username: string; password: string },
): Promise<Record<string, string>> {
  const op = t.operation('auth_login');
  const res = await t.send('POST', op.path, { body: user }, op);
  expect(t.contractProblems('auth_login', res), 'auth_login must match the contract').toEqual([]);
  expect(res.status, `login as ${user.username}`).toBe(201);
  return { Authorization: `Bearer ${res.body.token}` };
}

/** Decodes a JWT's payload (no verification). */
export function jwtPayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** The e-mails the mock "sent" in this suite's sandbox (admin API; mock only). */
export async function outbox(
  t: ConformanceTarget,
): Promise<
  Array<{ template: string; to: string[]; subject: string; body: string; context: Record<string, string | null> }>
> {
  return t.admin('GET', '/apis/djaoapp/outbox');
}

export function basicAuth(secret: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` };
}

export interface DjaoappSession {
  t: ConformanceTarget;
  creds: DjaoappCredentials;
  /** Authorization headers of a broker manager and of a plain member, signed in once per suite file. */
  manager: Record<string, string>;
  member: Record<string, string>;
}

/** The target, its credentials, and a broker manager and a member signed in. */
export async function openSession(): Promise<DjaoappSession> {
  const { target: t, credentials: creds } = await djaoappTarget();
  return { t, creds, manager: await login(t, creds.manager), member: await login(t, creds.member) };
}

/** The file's session (see openSession), opened as the file loads and closed after its last scenario. */
export async function sessionOfFile(): Promise<DjaoappSession> {
  const session = await openSession();
  afterAll(() => session.t.close());
  return session;
}

/** Sends a new user, who manages nothing, to /api/auth/register/: the username and password chosen, and the answer. */
export async function sendRegistration(
  t: ConformanceTarget,
  prefix: string,
): Promise<{ username: string; password: string; res: ApiResponse }> {
  const username = `${prefix}${unique()}`;
  const password = 'stranger-password-1';
  const op = t.operation('auth_register');
  const res = await t.send(
    'POST',
    op.path,
    { body: { username, password, email: `${username}@example.com`, full_name: 'Stranger Danger' } },
    op,
  );
  return { username, password, res };
}

/**
 * A user who manages nothing, registered through the public API (works against any target): its username, password
 * and Authorization header.
 */
export async function registerStranger(
  t: ConformanceTarget,
  prefix = 'stranger',
): Promise<{ username: string; password: string; headers: Record<string, string> }> {
  const { username, password, res } = await sendRegistration(t, prefix);
  expect(t.contractProblems('auth_register', res), 'auth_register must match the contract').toEqual([]);
  expect(res.status, `register ${username}`).toBe(201);
  return { username, password, headers: { Authorization: `Bearer ${res.body.token}` } };
}

/**
 * A user registered for the scenario (see registerStranger) and deleted by a broker manager when it ends: what the
 * scenario does to it leaves the configured users, and a real backend, as they were.
 */
export async function disposableUser(
  t: ConformanceTarget,
  manager: Record<string, string>,
  onFinished: (fn: () => Promise<void>) => void,
  prefix?: string,
): Promise<{ username: string; password: string; headers: Record<string, string> }> {
  const user = await registerStranger(t, prefix);
  onFinished(async () => {
    await t.send('DELETE', t.operation('users_destroy').path.replace('{user}', encodeURIComponent(user.username)), {
      headers: manager,
    });
  });
  return user;
}

/** A unique suffix for names a scenario creates (so it can run again, and against a shared target). */
export const unique = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** A response's media type essence ('' when the response has none). */
const mediaTypeOf = (res: ApiResponse): string =>
  (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The 403 of a URL guard in front of the API (djaodjin's testsites: rules' fail_authenticated raises Django's
 * PermissionDenied, an HTML page) rather than of the API itself, which answers JSON.
 */
export const isUrlGuardRefusal = (res: ApiResponse): boolean => res.status === 403 && mediaTypeOf(res) === 'text/html';

/** A 404 that is not the API's (no JSON): the target does not route the contract's path at all. */
export const isNotServed = (res: ApiResponse): boolean => res.status === 404 && !mediaTypeOf(res).includes('json');

type Annotating = Pick<TestContext, 'annotate'>;

/**
 * Checks what the contract allows for a caller without valid credentials on an operation that needs them
 * (responses Unauthorized and Forbidden): 401 {"detail"} with the Bearer challenge, as Django REST framework answers
 * with djaodjin's JWTAuthentication first, and as Standin answers; or, from a foreign backend, 403: a URL guard that
 * refused before the API (annotated as such when it is an HTML page).
 */
export async function expectSignInRequired(ctx: Annotating, res: ApiResponse): Promise<void> {
  if (!targetIsStandin && res.status === 403) {
    if (isUrlGuardRefusal(res))
      await ctx.annotate(`403 ${mediaTypeOf(res)}: the URL guard's answer, not the API's`, 'url-guard');
    else expect(res.body).toEqual({ detail: expect.any(String) });
    return;
  }
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ detail: expect.any(String) });
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

const served = new Map<string, Promise<string | undefined>>();

/**
 * Why the target does not serve an operation, if so: a 404 page of its own, or 405 for the documented method (a
 * path another route swallows). Probed on an unknown record, without a body, signed in.
 */
function notServedReason(
  t: ConformanceTarget,
  headers: Record<string, string>,
  operationId: string,
): Promise<string | undefined> {
  let reason = served.get(operationId);
  if (!reason) {
    const op = t.operation(operationId);
    const path = op.path.replace(/\{(\w+)\}/g, 'no-such-thing');
    reason = t
      .send(op.method.toUpperCase(), path, { headers })
      .then((res) =>
        isNotServed(res) || res.status === 405
          ? `${op.method.toUpperCase()} ${op.path} answers ${res.status} ${mediaTypeOf(res)}`
          : undefined,
      );
    served.set(operationId, reason);
  }
  return reason;
}

/**
 * Skips the running scenario, with the reason in the report, when a foreign target does not serve one of the
 * operations (each probed once, with the caller's headers): a djaodjin-signup site has no billing, accounts or legal
 * pages.
 */
export async function skipUnlessServed(
  ctx: Pick<TestContext, 'skip'>,
  t: ConformanceTarget,
  headers: Record<string, string>,
  ...operationIds: string[]
): Promise<void> {
  if (targetIsStandin) return;
  for (const operationId of operationIds) {
    const reason = await notServedReason(t, headers, operationId);
    if (reason) ctx.skip(`not served by this target: ${reason}`);
  }
}
