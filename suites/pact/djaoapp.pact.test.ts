/**
 * Consumer: a sign-in/profile client records what it needs from DjaoApp (contracts/pacts/account-frontend-djaoapp.json).
 * Provider: that pact is verified against the mock (or PACT_PROVIDER_BASE_URL). Tokens in the pact are examples:
 * during verification the request filter signs in on the provider and sends its own token instead.
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { expect } from 'vitest';
import { answers, describePact, sends, type Interaction, type PactParties } from './consumer.ts';
import { freshTokenFilter } from './djaoapp/fresh-token.ts';
import { DjaoappSessionClient } from './djaoapp/session-client.ts';
import { pageOf } from './djaoapp/shared.ts';

const { like, regex, string } = MatchersV3;
const parties: PactParties = {
  consumer: 'account-frontend',
  provider: 'djaoapp',
  state: 'xia is a user with password yoyo and a personal profile',
};
const xia = { username: 'xia', password: 'yoyo' };
const exampleToken =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6InhpYSIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJlLW9mLWFuLWV4YW1wbGU';
const jwt = regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, exampleToken);
const bearer = regex(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, `Bearer ${exampleToken}`);

const interactions: Interaction[] = [
  {
    uponReceiving: 'a sign-in with the right password',
    withRequest: sends('POST', '/api/auth/', { body: xia }),
    willRespondWith: answers(201, { token: jwt }),
  },
  {
    uponReceiving: 'a sign-in with a wrong password',
    withRequest: sends('POST', '/api/auth/', { body: { username: 'xia', password: 'wrong' } }),
    willRespondWith: answers(401, { detail: string('Incorrect authentication credentials') }),
  },
  {
    uponReceiving: 'a token refresh',
    withRequest: sends('POST', '/api/auth/tokens/', { headers: { Authorization: bearer }, body: { token: jwt } }),
    willRespondWith: answers(201, { token: jwt }),
  },
  {
    uponReceiving: "a request for xia's user record",
    withRequest: sends('GET', '/api/users/xia/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, {
      slug: 'xia',
      email: string('xia@locahost.localdomain'),
      full_name: string('Xia Lee'),
      created_at: string('2018-01-01T00:00:00Z'),
      activities: like([]),
    }),
  },
  {
    uponReceiving: "an update of xia's name",
    withRequest: sends('PUT', '/api/users/xia/', {
      headers: { Authorization: bearer },
      body: { email: 'xia@example.com', full_name: 'Xia Li' },
    }),
    willRespondWith: answers(200, { slug: 'xia', email: 'xia@example.com', full_name: 'Xia Li' }),
  },
  {
    uponReceiving: "a request for xia's billing profiles",
    withRequest: sends('GET', '/api/users/xia/profiles/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(200, pageOf(1, { slug: string('xia'), printable_name: string('Xia Lee') })),
  },
  {
    uponReceiving: "a request for donny's user record by xia",
    withRequest: sends('GET', '/api/users/donny/', { headers: { Authorization: bearer } }),
    willRespondWith: answers(403, { detail: string('You do not have permission to perform this action.') }),
  },
];

describePact(parties, {
  client: 'the sign-in/profile client',
  interactions,
  exercise: async (mock) => {
    const client = new DjaoappSessionClient(mock.url);
    await expect(client.signIn('xia', 'wrong')).rejects.toMatchObject({ status: 401 });
    expect(await client.signIn('xia', 'yoyo')).toBe('xia');
    await client.refresh();
    expect(await client.profile('xia')).toEqual({
      slug: 'xia',
      email: 'xia@locahost.localdomain',
      fullName: 'Xia Lee',
    });
    expect(await client.rename('xia', 'xia@example.com', 'Xia Li')).toEqual({
      slug: 'xia',
      email: 'xia@example.com',
      fullName: 'Xia Li',
    });
    expect(await client.billingProfiles('xia')).toEqual(['xia']);
    await expect(client.profile('donny')).rejects.toMatchObject({ status: 403 });
  },
  throughPublicApi: async () => {},
  withoutPublicApi: 'unused: the state needs only the user xia (password yoyo), which a real site provides',
  requestFilter: (target) =>
    freshTokenFilter(
      target,
      process.env.DJAOAPP_MEMBER ?? xia.username,
      process.env.DJAOAPP_MEMBER_PASSWORD ?? xia.password,
    ),
});
