/** The DjaoApp domain rules, called directly: tokens, credentials, permissions, lists, DRF errors, slugs, rules. */
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../fixtures/djaoapp/index.ts';
import {
  checkPassword,
  findResetToken,
  hashPassword,
  issueResetToken,
  issueVerificationKey,
  resetApiKey,
  userForApiKey,
} from '../../server/apis/djaoapp/model/credentials.ts';
import { bodyInstant, parseInstant } from '../../server/apis/djaoapp/model/dates.ts';
import { bodyErrors, djaoappErrors } from '../../server/apis/djaoapp/model/errors.ts';
import { claimsFor, sandboxKey, signToken, verifyToken } from '../../server/apis/djaoapp/model/jwt.ts';
import { inDateRange, matchesSearch, order, paginate, parseDate, searchTerms } from '../../server/apis/djaoapp/model/lists.ts';
import { canActOnUser, isBrokerManager } from '../../server/apis/djaoapp/model/permissions.ts';
import { appUpdateErrors, engagementSummary, rulePath } from '../../server/apis/djaoapp/rules/proxy.ts';
import { multipartFile } from '../../server/apis/djaoapp/model/multipart.ts';
import { deleteUser, renameUser } from '../../server/apis/djaoapp/model/users-store.ts';
import { slugify, uniqueSlug } from '../../server/apis/djaoapp/model/values.ts';
import { ApiError } from '../../server/core/plugin.ts';

const now = new Date('2030-01-01T00:00:00Z');
const user = (state = djaoappFixtures(), slug = 'xia') => state.users.find((u) => u.slug === slug)!;

describe('jwt', () => {
  it('signs HS256 tokens that jose verifies, with the documented claims and exp from the given clock', async () => {
    const state = djaoappFixtures();
    const key = sandboxKey(state.jwt_secret, 'a');
    const token = await signToken(claimsFor(user(state), now, 3600), key);
    const { payload, protectedHeader } = await jwtVerify(token, key, { currentDate: now });
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(payload).toEqual({
      slug: 'xia', username: 'xia', printable_name: 'Xia Lee', picture: null, email: 'xia@locahost.localdomain',
      full_name: 'Xia Lee', credentials: true, created_at: '2018-01-01T00:00:00Z', exp: now.getTime() / 1000 + 3600,
    });
  });

  it('verifies the signature (the sandbox’s own key), the expiry and the encoding strictly', async () => {
    const state = djaoappFixtures();
    const key = sandboxKey(state.jwt_secret, 'a');
    const token = await signToken(claimsFor(user(state), now, 60), key);
    expect(await verifyToken(token, key, now)).toMatchObject({ ok: true, claims: { username: 'xia' } });
    expect(await verifyToken(token, sandboxKey(state.jwt_secret, 'b'), now)).toEqual({ ok: false, reason: 'signature' });
    expect(await verifyToken(token, key, new Date(now.getTime() + 60_000))).toEqual({ ok: false, reason: 'expired' });
    // The last character of a 32-byte signature carries 2 unused bits: another character there decodes the same.
    const last = token.at(-1)!;
    const sameBytes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').find((c) => c !== last && Buffer.from(`${token.split('.')[2]!.slice(0, -1)}${c}`, 'base64url').equals(Buffer.from(token.split('.')[2]!, 'base64url')))!;
    for (const junk of ['a.b', 'x.y.z', `${token}=`, `${token}!!`, `${token} `, `${token.slice(0, -1)}${sameBytes}`, `${token}.x`])
      expect(await verifyToken(junk, key, now), junk).toEqual({ ok: false, reason: 'malformed' });
  });
});

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
    expect(issueVerificationKey(state, state.users.find((u) => u.slug === 'joe1')!, now)).toBe('0123456789abcef0123456789abcef');
  });
});

describe('permissions', () => {
  it('broker managers are donny and alice; a user acts on themselves only', () => {
    const state = djaoappFixtures();
    expect(isBrokerManager(state, user(state, 'donny'))).toBe(true);
    expect(isBrokerManager(state, user(state, 'alice'))).toBe(true);
    expect(isBrokerManager(state, user(state, 'xia'))).toBe(false);
    expect(isBrokerManager(state, null)).toBe(false);
    expect(canActOnUser(state, user(state, 'xia'), 'xia')).toBe(true);
    expect(canActOnUser(state, user(state, 'xia'), 'donny')).toBe(false);
    expect(canActOnUser(state, user(state, 'donny'), 'xia')).toBe(true);
  });

  it('a pending role grants nothing', () => {
    const state = djaoappFixtures();
    state.roles.find((r) => r.user === 'alice')!.grant_key = 'pending';
    expect(isBrokerManager(state, user(state, 'alice'))).toBe(false);
  });
});

describe('dates (Django\'s parse_datetime, then parse_date)', () => {
  it('reads ISO dates and date-times, with a zone Z, +HH, +HHMM or +HH:MM, and microseconds', () => {
    expect(parseInstant('2018-03-05')).toEqual(new Date('2018-03-05T00:00:00Z'));
    expect(parseInstant('2018-3-5T7:08')).toEqual(new Date('2018-03-05T07:08:00Z'));
    expect(parseInstant('2015-07-05T07:00:00.000Z')).toEqual(new Date('2015-07-05T07:00:00Z'));
    expect(parseInstant('2018-06-01T00:00:00+02')).toEqual(new Date('2018-05-31T22:00:00Z'));
    expect(parseInstant('2018-06-01T00:00:00-0530')).toEqual(new Date('2018-06-01T05:30:00Z'));
    expect(parseInstant('2018-06-01T00:00:00.123456789+02:00')).toEqual(new Date('2018-05-31T22:00:00.123Z'));
    expect(parseInstant('0001-01-01')!.getUTCFullYear()).toBe(1);
    expect(parseInstant('2016-02-29')).toEqual(new Date('2016-02-29T00:00:00Z'));
  });

  it('reads nothing else, nor what Python\'s datetime cannot hold', () => {
    for (const text of ['', 'now', '1', '2018', '2018-01', 'Jan 1 2017', '2018-01-01T00:00:00 02:00', '2018-06-01t00:00:00z', '+010000-01-01', '10000-01-01',
      '0000-01-01', '2017-02-29', '2018-04-31', '2018-13-01', '2016-12-31T23:59:60Z', '2018-01-01T24:00', '2018-01-01T00:00:00+24:00', '9999-12-31T23:00:00-02:00']) {
      expect(parseInstant(text), text).toBeNull();
    }
  });

  it('a body\'s date-time it cannot read is 400 with DRF\'s message on that field', () => {
    expect(bodyInstant('created_at', '2018-06-01T00:00:00Z')).toEqual(new Date('2018-06-01T00:00:00Z'));
    expect(() => bodyInstant('created_at', '2016-12-31T23:59:60Z')).toThrow(
      expect.objectContaining({ status: 400, body: { created_at: ['Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'] } }),
    );
  });
});

describe('lists', () => {
  const request = { method: 'GET', path: '/api/users/', baseUrl: 'http://h/djaoapp', rawQuery: { q: 'a', page: '2' }, headers: {} };

  it('splits q into OR\'ed terms and quoted phrases', () => {
    expect(searchTerms('xia, "Alice Cooper",,bob')).toEqual(['xia', 'alice cooper', 'bob']);
    expect(matchesSearch({ slug: 'alice', email: 'a@x' }, ['slug', 'email'], ['ali'])).toBe(true);
    expect(matchesSearch({ slug: 'alice', email: 'a@x' }, ['slug', 'email'], ['ali'], ['email'])).toBe(false);
  });

  it('orders by o (with -), ot=desc, unknown fields ignored, the default ordering last', () => {
    const items = [{ a: 2, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'a' }];
    expect(order(items, ['a'], undefined, ['a', 'b'], ['b'])).toEqual([{ a: 1, b: 'y' }, { a: 2, b: 'a' }, { a: 2, b: 'x' }]);
    expect(order(items, ['-a'], undefined, ['a', 'b'], ['b']).map((i) => i.a)).toEqual([2, 2, 1]);
    expect(order(items, ['a'], 'desc', ['a', 'b'], ['b']).map((i) => i.a)).toEqual([2, 2, 1]);
    expect(order(items, ['nope'], undefined, ['a', 'b'], ['b']).map((i) => i.b)).toEqual(['a', 'x', 'y']);
  });

  it('start_at ≤ created_at < ends_at; unparseable dates count as now', () => {
    expect(inDateRange('2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', undefined, now)).toBe(true);
    expect(inDateRange('2020-01-01T00:00:00Z', undefined, '2020-01-01T00:00:00Z', now)).toBe(false);
    expect(inDateRange('2029-12-31T00:00:00Z', 'garbage', undefined, now)).toBe(false);
    expect(inDateRange('2029-12-31T00:00:00Z', undefined, 'garbage', now)).toBe(true);
    // Without ends_at, a record made at this very instant (a frozen clock) is in; with ends_at = now it is not.
    expect(inDateRange(now.toISOString(), undefined, undefined, now)).toBe(true);
    expect(inDateRange(now.toISOString(), undefined, now.toISOString(), now)).toBe(false);
  });

  it('reads query dates as Django does: ISO 8601 only, no zone meaning UTC whatever the machine\'s zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseDate('2018-01-01T10:00:00', now)).toEqual(new Date('2018-01-01T10:00:00Z'));
      expect(parseDate('2018-01-01 10:00', now)).toEqual(new Date('2018-01-01T10:00:00Z'));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // What JavaScript's Date would make of them (2001, 2001-12-01, a year-10000 instant no answer can carry): now.
    for (const loose of ['1', '12', '2018', 'Jan 1 2017', '+010000-01-01', '10000-01-01', '-000001-01-01T00:00:00Z']) {
      expect(parseDate(loose, now), loose).toBe(now);
    }
  });

  it('paginates with absolute next/previous URLs; a page past the end is 404 "Invalid page."', () => {
    const page = paginate([1, 2, 3, 4, 5], request, 2, 2);
    expect(page).toEqual({
      count: 5,
      next: 'http://h/djaoapp/api/users/?q=a&page=3',
      previous: 'http://h/djaoapp/api/users/?q=a',
      results: [3, 4],
    });
    expect(paginate([], request, 1)).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect(() => paginate([1], request, 2)).toThrow(ApiError);
    expect(paginate(Array.from({ length: 150 }, (_, i) => i), request, 1, 1000).results).toHaveLength(100);
  });
});

describe('DRF errors', () => {
  it('turns schema problems into {"field": ["message"]}, nested pointers into nested objects', () => {
    expect(
      bodyErrors([
        { in: 'body', pointer: '/email', keyword: 'required', message: 'is required' },
        { in: 'body', pointer: '/email', keyword: 'format', message: 'must match format "email"' },
        { in: 'body', pointer: '/lines/1/num', keyword: 'type', message: 'must be integer' },
        { in: 'body', pointer: '', keyword: 'type', message: 'must be object' },
      ]),
    ).toEqual({
      email: ['This field is required.', 'Enter a valid email address.'],
      lines: [{}, { num: ['A valid integer is required.'] }],
      non_field_errors: ['Invalid data. Expected a dictionary.'],
    });
  });

  it('a body that may be an object or a list of them: only the problems of the shape sent, a list\'s per item', () => {
    const oneOf = { in: 'body' as const, pointer: '', keyword: 'oneOf', message: 'must match exactly one schema in oneOf' };
    const wanted = (type: string) => ({ in: 'body' as const, pointer: '', keyword: 'type', message: `must be ${type}` });
    // An object: the list alternative's "must be array" is not what DRF, reading an object, would say.
    expect(bodyErrors([{ in: 'body', pointer: '/plan', keyword: 'required', message: 'is required' }, wanted('array'), oneOf])).toEqual({ plan: ['This field is required.'] });
    // A list: one object per item, {} for the items without errors, as DRF's many=True serializer answers.
    expect(bodyErrors([wanted('object'), { in: 'body', pointer: '/1/plan', keyword: 'type', message: 'must be string' }, oneOf])).toEqual([{}, { plan: ['Not a valid string.'] }]);
    expect(bodyErrors([wanted('object'), { in: 'body', pointer: '', keyword: 'minItems', message: 'must NOT have fewer than 1 items' }, oneOf])).toEqual({ non_field_errors: ['This list may not be empty.'] });
    expect(bodyErrors([wanted('object'), { in: 'body', pointer: '', keyword: 'maxItems', message: 'must NOT have more than 100 items' }, oneOf])).toEqual({ non_field_errors: ['Ensure this field has no more than 100 elements.'] });
    // Neither: what DRF says of a body that is no object.
    expect(bodyErrors([wanted('object'), wanted('array'), oneOf])).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary.'] });
  });

  it('415 for a content type, 400 for bad JSON, 404 for a bad page, 405 naming the method', () => {
    const media = djaoappErrors.invalidRequest([{ in: 'content-type', pointer: '', keyword: 'mediaType', message: "Content-Type 'text/plain' is not supported" }]);
    expect([media.status, media.body]).toEqual([415, { detail: 'Unsupported media type "text/plain" in request.' }]);
    expect(djaoappErrors.invalidRequest([{ in: 'body', pointer: '', keyword: 'json', message: 'is not valid JSON: Unexpected end' }]).body).toEqual({ detail: 'JSON parse error - Unexpected end' });
    expect(djaoappErrors.invalidRequest([{ in: 'query', pointer: '/page', keyword: 'minimum', message: 'must be >= 1' }]).status).toBe(404);
    const notAllowed = djaoappErrors.notFound('get', '/api/auth/', ['POST']);
    expect([notAllowed.status, notAllowed.body]).toEqual([405, { detail: 'Method "GET" not allowed.' }]);
    expect(djaoappErrors.notFound('GET', '/nope').body).toEqual({ detail: 'Not found.' });
  });
});

describe('users in the state', () => {
  it('renaming a user follows every reference; deleting removes what hangs off them', () => {
    const state = djaoappFixtures();
    renameUser(state, 'alice', 'alice2');
    expect(state.roles.some((r) => r.user === 'alice2')).toBe(true);
    expect(state.activities.every((a) => a.created_by !== 'alice')).toBe(true);
    expect(state.engagements.some((e) => e.username === 'alice2')).toBe(true);
    deleteUser(state, 'xia');
    expect(state.users.some((u) => u.slug === 'xia')).toBe(false);
    expect(state.activities.some((a) => a.contact === 'xia')).toBe(false);
    expect(state.profiles.some((p) => p.slug === 'xia')).toBe(true);
  });

  it('slugs come from names and stay unique', () => {
    expect(slugify('My Project')).toBe('my-project');
    expect(slugify('Crème  Brûlée & Co')).toBe('creme-brulee-co');
    expect(uniqueSlug('xia', (s) => ['xia', 'xia-1'].includes(s))).toBe('xia-2');
  });
});

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
      engagements: [{ slug: 'app', count: 2 }, { slug: 'billing', count: 1 }, { slug: 'profile', count: 1 }],
    });
    expect(engagementSummary(state, now)).toEqual({ active_users: 0, engagements: [] });
  });

  it('the {rule} parameter is a path', () => {
    expect(rulePath('/app/')).toBe('/app/');
    expect(rulePath('app/')).toBe('/app/');
  });

  it('finds the file part of a multipart body', () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="t.zip"\r\n\r\nabc\r\n--b--\r\n', 'latin1');
    expect(multipartFile(body, 'multipart/form-data; boundary=b')).toEqual({ name: 't.zip', size: 3, content: 'abc' });
    expect(multipartFile(body, 'multipart/form-data')).toBeUndefined();
  });
});
