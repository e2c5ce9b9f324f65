/** Passwords, API keys, activation keys and reset links: small plain functions over the state. */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, DjaoappState, UserRecord } from '../state.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `salt$sha256(salt:password)`. */
export function hashPassword(password: string, salt = randomBytes(8).toString('hex')): string {
  return `${salt}$${sha256(`${salt}:${password}`)}`;
}

export function checkPassword(user: UserRecord, password: unknown): boolean {
  if (typeof password !== 'string' || !user.password) return false;
  const [salt] = user.password.split('$');
  return hashPassword(password, salt) === user.password;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

export const API_KEY_LENGTH = 64;
export const API_KEY_PUBLIC_LENGTH = 32;

/** Replaces the user's API key: returns the secret (shown once) and keeps only its public part and hash. */
export function resetApiKey(
  state: DjaoappState,
  user: UserRecord,
  now: Date,
): { secret: string; record: ApiKeyRecord } {
  const secret = randomToken(API_KEY_LENGTH);
  const record: ApiKeyRecord = {
    user: user.slug,
    public_key: secret.slice(0, API_KEY_PUBLIC_LENGTH),
    secret_hash: sha256(secret),
    created_at: now.toISOString(),
  };
  state.api_keys = state.api_keys.filter((key) => key.user !== user.slug);
  state.api_keys.push(record);
  return { secret, record };
}

/** The user an API key secret belongs to, if any. */
export function userForApiKey(state: DjaoappState, secret: string): UserRecord | undefined {
  if (secret.length !== API_KEY_LENGTH) return undefined;
  const hash = sha256(secret);
  const key = state.api_keys.find(
    (k) => k.public_key === secret.slice(0, API_KEY_PUBLIC_LENGTH) && k.secret_hash === hash,
  );
  return key ? state.users.find((u) => u.slug === key.user) : undefined;
}

/** A new single-use password reset link for the user: uidb64 encodes the username, token is random. */
export function issueResetToken(state: DjaoappState, user: UserRecord, now: Date): { uidb64: string; token: string } {
  const uidb64 = Buffer.from(user.slug).toString('base64url');
  const token = `${randomToken(6).toLowerCase()}-${randomToken(20).toLowerCase()}`;
  state.reset_tokens = state.reset_tokens.filter((r) => r.user !== user.slug);
  state.reset_tokens.push({ uidb64, token, user: user.slug, created_at: now.toISOString() });
  return { uidb64, token };
}

/** A reset link is single-use; issuing a new one replaces the user's previous link. */
export function findResetToken(state: DjaoappState, uidb64: string, token: string) {
  return state.reset_tokens.find((r) => r.uidb64 === uidb64 && r.token === token);
}

export function issueVerificationKey(state: DjaoappState, user: UserRecord, now: Date): string {
  const existing = state.verification_keys.find((k) => k.user === user.slug);
  if (existing) return existing.key;
  const key = randomToken(40).toLowerCase();
  state.verification_keys.push({ key, user: user.slug, created_at: now.toISOString() });
  return key;
}
