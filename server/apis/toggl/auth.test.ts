/** Basic credentials: e-mail and password, or an API token. */
import { describe, expect, it } from 'vitest';
import { togglFixtures } from '../../../fixtures/toggl/index.ts';
import { findUser, parseBasic } from './auth.ts';

const fixtures = togglFixtures();

describe('auth', () => {
  it('parses Basic credentials and finds users by password or API token', () => {
    const header = `Basic ${Buffer.from('admin@toggl.test:yoyo').toString('base64')}`;
    expect(parseBasic(header)).toEqual(['admin@toggl.test', 'yoyo']);
    expect(parseBasic('Bearer x')).toBeUndefined();
    expect(parseBasic(undefined)).toBeUndefined();
    expect(parseBasic(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(findUser(fixtures, 'ADMIN@toggl.test', 'yoyo')?.id).toBe(5601);
    expect(findUser(fixtures, 'toggl-admin-token', 'api_token')?.id).toBe(5601);
    expect(findUser(fixtures, 'admin@toggl.test', 'api_token')).toBeUndefined();
  });
});

