/** Handlers of /api/auth/: login, activation, logout, recover, register, reset, token refresh and verify. */
import { joinCookieCart } from '../model/cart-store.ts';
import {
  checkPassword,
  findResetToken,
  hashPassword,
  issueResetToken,
  issueVerificationKey,
} from '../model/credentials.ts';
import { detail, fieldErrors, forbidden, messages, notFound } from '../model/errors.ts';
import { claimsFor, sandboxKey, signToken, tokenFailureMessage, verifyToken } from '../model/jwt.ts';
import { sendEmail } from '../model/outbox.ts';
import { renderUser } from '../model/render.ts';
import type { UserRecord } from '../state.ts';
import { addUser, findUserByEmail, renameUser } from '../model/users-store.ts';
import { slugify, uniqueSlug } from '../model/values.ts';
import type { Ctx, Reply } from '../model/context.ts';

/** 201 {"token": ...} for the user, expiring jwt_expiry_seconds after the sandbox's now. */
export async function tokenReply(ctx: Ctx, user: UserRecord): Promise<{ status: 201; body: { token: string } }> {
  const claims = claimsFor(user, ctx.now(), ctx.state.jwt_expiry_seconds);
  return { status: 201, body: { token: await signToken(claims, sandboxKey(ctx.state.jwt_secret, ctx.sandboxId)) } };
}

function activationUser(ctx: Ctx & { params: { verification_key: string } }): UserRecord {
  const key = ctx.state.verification_keys.find((k) => k.key === ctx.params.verification_key);
  const user = key && ctx.state.users.find((u) => u.slug === key.user);
  if (!user) throw notFound();
  return user;
}

export async function auth_login(ctx: Ctx<'auth_login'>): Promise<Reply<'auth_login'>> {
  const { username, password } = ctx.body;
  const user =
    ctx.state.users.find((u) => u.slug === username) ??
    (username.includes('@') ? findUserByEmail(ctx.state, username) : undefined);
  if (!user || !checkPassword(user, password))
    throw detail(401, 'Incorrect authentication credentials', { 'WWW-Authenticate': 'Bearer realm="api"' });
  user.last_login = ctx.now().toISOString();
  return { ...(await tokenReply(ctx, user)), headers: joinCookieCart(ctx, user.slug) };
}

export function auth_activate_retrieve(ctx: Ctx<'auth_activate_retrieve'>): Reply<'auth_activate_retrieve'> {
  return { status: 200, body: renderUser(activationUser(ctx)) };
}

export async function auth_activate(ctx: Ctx<'auth_activate'>): Promise<Reply<'auth_activate'>> {
  const user = activationUser(ctx);
  const body = ctx.body ?? {};
  if (body.username !== undefined && body.username !== user.slug) {
    if (!/^[\w.@+-]+$/.test(body.username)) throw fieldErrors({ username: ['Enter a valid username.'] });
    if (ctx.state.users.some((u) => u.slug === body.username))
      throw fieldErrors({ username: ['A user with that username already exists.'] });
  }
  const now = ctx.now().toISOString();
  if (body.username !== undefined && body.username !== user.slug) renameUser(ctx.state, user.slug, body.username);
  if (body.full_name !== undefined) user.full_name = body.full_name;
  if (body.new_password) user.password = hashPassword(body.new_password);
  ctx.state.verification_keys = ctx.state.verification_keys.filter((k) => k.user !== user.slug);
  user.last_login = now;
  return tokenReply(ctx, user);
}

export function auth_logout(): Reply<'auth_logout'> {
  return {
    status: 200,
    headers: { 'Set-Cookie': 'sessionid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/' },
  };
}

export function auth_recover(ctx: Ctx<'auth_recover'>): Reply<'auth_recover'> {
  const { email } = ctx.body;
  const user = findUserByEmail(ctx.state, email);
  if (user) {
    const { uidb64, token } = issueResetToken(ctx.state, user, ctx.now());
    const link = `/reset/${uidb64}/${token}/`;
    sendEmail(ctx.state, ctx.now(), {
      template: 'password_reset',
      to: [user.email],
      subject: 'Reset your password',
      body: `Hello ${user.full_name || user.slug},\n\nFollow this link to choose a new password: ${link}\n`,
      context: { user: user.slug, uidb64, token, link },
    });
  }
  return { status: 200, body: { email } };
}

export async function auth_register(ctx: Ctx<'auth_register'>): Promise<Reply<'auth_register'>> {
  const body = ctx.body;
  const { state } = ctx;
  const errors: Record<string, string[] | string> = {};
  if (body.username !== undefined && state.users.some((u) => u.slug === body.username))
    errors.username = ['A user with that username already exists.'];
  if (findUserByEmail(state, body.email)) errors.email = 'This e-mail address is already taken.';
  if (Object.keys(errors).length) throw fieldErrors(errors);
  const now = ctx.now();
  const slug =
    body.username ?? uniqueSlug(slugify(body.email.split('@')[0]!), (s) => state.users.some((u) => u.slug === s));
  const user = addUser(
    state,
    {
      slug,
      email: body.email,
      full_name: body.full_name,
      password: body.password ? hashPassword(body.password) : null,
      last_login: now.toISOString(),
    },
    now,
  );
  const key = issueVerificationKey(state, user, now);
  sendEmail(state, now, {
    template: 'verification',
    to: [user.email],
    subject: 'Please verify your e-mail address',
    body: `Welcome ${user.full_name}! Activate your account: /activate/${key}/\n`,
    context: { user: user.slug, verification_key: key, link: `/activate/${key}/` },
  });
  return { ...(await tokenReply(ctx, user)), headers: joinCookieCart(ctx, user.slug) };
}

export async function auth_reset(ctx: Ctx<'auth_reset'>): Promise<Reply<'auth_reset'>> {
  const { new_password, new_password2 } = ctx.body;
  const record = findResetToken(ctx.state, ctx.params.uidb64, ctx.params.token);
  const user = record && ctx.state.users.find((u) => u.slug === record.user);
  if (!user) throw detail(400, 'The password reset link is invalid, possibly because it has already been used.');
  if (new_password2 !== undefined && new_password2 !== new_password)
    throw fieldErrors({ new_password2: ["The two password fields didn't match."] });
  user.password = hashPassword(new_password);
  user.last_login = ctx.now().toISOString();
  ctx.state.reset_tokens = ctx.state.reset_tokens.filter((r) => r !== record);
  return tokenReply(ctx, user);
}

async function tokenUser(ctx: Ctx & { body: { token: string } }): Promise<UserRecord> {
  const check = await verifyToken(ctx.body.token, sandboxKey(ctx.state.jwt_secret, ctx.sandboxId), ctx.now());
  if (!check.ok) throw messages(tokenFailureMessage(check.reason));
  const user = ctx.state.users.find((u) => u.slug === check.claims.username);
  if (!user) throw messages('User does not exist.');
  return user;
}

/** "The authenticated user and the user associated to the token should be identical" (an anonymous caller is not). */
const isCaller = (ctx: Ctx, user: UserRecord): boolean => ctx.principal.user?.slug === user.slug;

export async function auth_tokens_refresh(ctx: Ctx<'auth_tokens_refresh'>): Promise<Reply<'auth_tokens_refresh'>> {
  const user = await tokenUser(ctx);
  if (!isCaller(ctx, user)) throw forbidden();
  return tokenReply(ctx, user);
}

export async function auth_tokens_verify(ctx: Ctx<'auth_tokens_verify'>): Promise<Reply<'auth_tokens_verify'>> {
  if (!isCaller(ctx, await tokenUser(ctx))) throw messages('token is invalid');
  return { status: 200, body: { token: ctx.body.token } };
}
