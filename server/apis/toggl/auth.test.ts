/** Toggl's users, found by e-mail and password or by API token. */
import { describe, expect, it } from 'vitest';
import { togglFixtures } from '../../../fixtures/toggl/index.ts';
import { findUser } from './auth.ts';

const fixtures = togglFixtures();

describe('auth', () => {
  it('finds users by password or API token', () => {
    expect(findUser(fixtures, 'ADMIN@toggl.test', 'yoyo')?.id).toBe(5601);
    expect(findUser(fixtures, 'toggl-admin-token', 'api_token')?.id).toBe(5601);
    expect(findUser(fixtures, 'admin@toggl.test', 'api_token')).toBeUndefined();
  });
});
