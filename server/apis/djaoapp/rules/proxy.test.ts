/** Access rules and the app's settings: paths, update errors, engagement. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { appUpdateErrors, engagementSummary, rulePath } from './proxy.ts';
import { multipartFile } from '../model/multipart.ts';

const now = new Date('2030-01-01T00:00:00Z');

describe('rules and themes', () => {
  it('checks app updates', () => {
    expect(appUpdateErrors({ entry_point: 'https://ok.example.com/', session_backend: 1 })).toEqual({});
    expect(appUpdateErrors({ entry_point: 'ftp://x', session_backend: 9 })).toEqual({
      entry_point: ['Enter a valid URL.'],
      session_backend: ['"9" is not a valid choice.'],
    });
  });

  it('counts engagement in the 30 days before now', () => {
    const state = djaoappFixtures();
    expect(engagementSummary(state, new Date('2019-07-20T00:00:00Z'))).toEqual({
      active_users: 1,
      engagements: [
        { slug: 'app', count: 2 },
        { slug: 'billing', count: 1 },
        { slug: 'profile', count: 1 },
      ],
    });
    expect(engagementSummary(state, now)).toEqual({ active_users: 0, engagements: [] });
  });

  it('the {rule} parameter is a path', () => {
    expect(rulePath('/app/')).toBe('/app/');
    expect(rulePath('app/')).toBe('/app/');
  });

  it('finds the file part of a multipart body', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="t.zip"\r\n\r\nabc\r\n--b--\r\n',
      'latin1',
    );
    expect(multipartFile(body, 'multipart/form-data; boundary=b')).toEqual({
      name: 't.zip',
      size: 3,
      bytes: Buffer.from('abc'),
    });
    expect(multipartFile(body, 'multipart/form-data')).toBeUndefined();
  });
});
