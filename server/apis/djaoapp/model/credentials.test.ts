/** Passwords, API keys and the other secrets a DjaoApp user holds. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import {
  checkPassword,
  findResetToken,
  hashPassword,
  issueResetToken,
  issueVerificationKey,
  resetApiKey,
  userForApiKey,
} from './credentials.ts';

const now = new Date('2030-01-01T00:00:00Z');
const user = (state = djaoappFixtures(), slug = 'xia') => state.users.find((u) => u.slug === slug)!;

describe('credentials', () => {
  it('hashes passwords with a salt and checks them', () => {
    const state = djaoappFixtures();
    expect(checkPassword(user(state), 'yoyo')).toBe(true);
    expect(checkPassword(user(state), 'nope')).toBe(false);
    expect(checkPassword(user(state), undefined)).toBe(false);
    expect(hashPassword('a')).not.toBe(hashPassword('a'));
  });

  it('an API key secret is 64 characters, its first 32 public; only its hash is kept; a reset replaces it', () => {
    const state = djaoappFixtures();
    const { secret, record } = resetApiKey(state, user(state), now);
    expect(secret).toHaveLength(64);
    expect(record.public_key).toBe(secret.slice(0, 32));
    expect(JSON.stringify(state)).not.toContain(secret);
    expect(userForApiKey(state, secret)?.slug).toBe('xia');
    const second = resetApiKey(state, user(state), now);
    expect(userForApiKey(state, secret)).toBeUndefined();
    expect(userForApiKey(state, second.secret)?.slug).toBe('xia');
  });

  it('a reset link replaces the previous one; activation keys are reused while pending', () => {
    const state = djaoappFixtures();
    const first = issueResetToken(state, user(state), now);
    const second = issueResetToken(state, user(state), now);
    expect(findResetToken(state, first.uidb64, first.token)).toBeUndefined();
    expect(findResetToken(state, second.uidb64, second.token)?.user).toBe('xia');
    expect(issueVerificationKey(state, state.users.find((u) => u.slug === 'joe1')!, now)).toBe(
      '0123456789abcef0123456789abcef',
    );
  });
});
