/**
 * Every example of seed 001 for the profiles, roles, plans and subscriptions operations (in seed-examples.json),
 * sent to the mock with the fixture users, gets the seed's answer apart from keys, URLs' origins and timestamps.
 *
 * The seed's world is dated 2018 (xia's subscription to open-space runs from 2018-01-01 to 2019-01-01), so each
 * group starts from the fixtures with the sandbox clock at 2018-07-01. Where the seed's examples contradict each
 * other (names, addresses, dates of the same records), the check leaves out the fields named with the reason; the
 * rest of the seed's answer must match. Mock only: the examples need the fixtures and the admin API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectSeed,
  maskedKeys as masked,
  seedExample,
  sendSeedRequest,
  type SeedRequest as SeedRequestOf,
  withoutFields as without,
} from './seed-examples.ts';
import { type ConformanceTarget, needsStandin, onStandin } from '../support/target.ts';
import { djaoappTarget, login, type DjaoappCredentials } from './target.ts';

const STANDIN_ONLY = "the seed's example records (fixtures) at the seed's dates (admin API clock)";

/** Some item of `list` has all of `item`'s fields, with its values (nested objects matched the same way). */
function expectSomeMatch(list: unknown[], item: unknown) {
  const matches = (candidate: unknown) => {
    try {
      expect(candidate).toMatchObject(item as object);
      return true;
    } catch {
      return false;
    }
  };
  expect(list.some(matches), `${JSON.stringify(item)} among ${JSON.stringify(list)}`).toBe(true);
}

/** Each of the seed's list items (minus the contradicted fields) is among the answer's results. */
function expectSeedItems(actual: any, operation: string, contradicted: string[] = []) {
  const expected = without(seedExample(operation).response, contradicted);
  for (const item of expected.results) expectSomeMatch(masked(actual.results), masked(item));
}

const SEED_NOW = '2018-07-01T00:00:00Z';

let t: ConformanceTarget;
let creds: DjaoappCredentials;
let donny: Record<string, string>;
let alice: Record<string, string>;
let xia: Record<string, string>;

/** Back to the fixtures, the clock at the seed's date, the three users signed in again. */
async function seedWorld(): Promise<void> {
  await t.admin('POST', '/reset');
  await t.admin('POST', '/clock', { set: SEED_NOW, freeze: true });
  donny = await login(t, creds.manager);
  alice = await login(t, creds.otherManager);
  xia = await login(t, creds.member);
}

/** Changes the sandbox's DjaoApp state through the admin API (records the public API cannot make as they are). */
async function editState(edit: (djaoapp: any) => void): Promise<void> {
  const state = await t.admin<any>('GET', '/state');
  edit(state.apis.djaoapp);
  await t.admin('PUT', '/state', state);
}

beforeAll(async () => {
  ({ target: t, credentials: creds } = await djaoappTarget());
});
afterAll(() => t?.close());

/** A group of the seed's examples, run in order from the fixtures at the seed's date. */
function seedGroup(name: string, scenarios: () => void): void {
  describe(name, () => {
    beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
    beforeAll(onStandin(seedWorld));
    scenarios();
  });
}

/** Who sends a request: donny and alice manage cowork, xia subscribes to its open-space. */
type Who = 'donny' | 'alice' | 'xia';
const signedIn = (who: Who | undefined) => (who ? { donny, alice, xia }[who] : undefined);

/** A seed request, and whether the seed's answer is a list whose items are among the answer's results (others may be
 * there too). */
type SeedRequest = SeedRequestOf<Who> & { items?: boolean };

/** Sends a seed example's request and checks the seed's answer; the answer, for what the scenario checks beyond. */
async function replay(request: SeedRequest): Promise<any> {
  const { example, as, contradicted, items } = request;
  const res = await sendSeedRequest(t, request, signedIn(as));
  if (items) expectSeedItems(res.body, example, contradicted);
  else expectSeed(res.body, example, contradicted);
  return res.body;
}

/** The status of a request that is not a seed example (a deletion, a check of what is left). */
async function statusOf(operationId: string, params: Record<string, string>, as: Who): Promise<number> {
  return (await t.call(operationId, { params, headers: signedIn(as) })).status;
}

/** A scenario of one seed request, and what it checks beyond the seed's answer. */
type OneRequest = SeedRequest & { scenario: string; checks?: (answer: any) => void | Promise<void> };

function replayEach(scenarios: OneRequest[]): void {
  for (const { scenario, checks, ...request } of scenarios)
    it(scenario, async () => {
      const answer = await replay(request);
      await checks?.(answer);
    });
}

const cowork = { organization: 'cowork' };
const coworkManager = { organization: 'cowork', role: 'manager' };
const xiaOnCowork = { user: 'xia', role: 'manager', organization: 'cowork' };
const xiaKey = { user: 'xia', verification_key: '0123456789abcef' };
/** The seed shows alice as a pending request ("1"), as "Alice Doe" <alice@localhost.localdomain>, and its manager
 * description as {"name": "Manager"} of cowork: she is an accepted manager in every other example (part 1's too). */
const aliceAsPending = [
  'count',
  'results.[].request_key',
  'results.[].user.email',
  'results.[].user.full_name',
  'results.[].role_description.name',
  'results.[].role_description.organization',
];
/** The seed answers alice's role (request_key "1") for xia's URLs and keys; the role is xia's. */
const alicesRole = ['user', 'request_key', 'role_description.title', 'role_description.organization'];
/** The seed's cowork is "Cowork"; its URLs are relative. */
const coworkAsRequested = [
  'organization.full_name',
  'organization.printable_name',
  'home_url',
  'settings_url',
  'remove_api_url',
];

seedGroup('seed 001: profile examples', () => {
  replayEach([
    {
      scenario: 'GET /api/profile/?o=created_at&ot=desc lists the profiles xia can see: hers',
      example: 'GET /api/profile/',
      operationId: 'profiles_list',
      query: { o: 'created_at', ot: 'desc' },
      as: 'xia',
      status: 200,
    },
    {
      scenario: 'GET /api/profile/xia/ answers her profile with her subscription to open-space',
      example: 'GET /api/profile/{organization}/',
      operationId: 'profiles_retrieve',
      params: { organization: 'xia' },
      as: 'xia',
      status: 200,
      // The typeahead examples (part 1) give her profile xia@localhost.localdomain; this one writes type "" and picture "".
      contradicted: ['email', 'type', 'picture'],
      checks: (profile) =>
        expect(profile.subscriptions).toEqual([
          { created_at: '2018-01-01T00:00:00Z', ends_at: '2019-01-01T00:00:00Z', plan: 'open-space', auto_renew: true },
        ]),
    },
    {
      scenario: 'PUT /api/profile/xia/ updates her e-mail address and name',
      example: 'PUT /api/profile/{organization}/',
      operationId: 'profiles_update',
      params: { organization: 'xia' },
      as: 'xia',
      sendsBody: true,
      status: 200,
    },
  ]);

  it('DELETE /api/profile/xia/ answers 204; then POST /api/profile/ creates her personal profile again', async () => {
    expect(await statusOf('profiles_destroy', { organization: 'xia' }, 'xia')).toBe(204);
    expect(await statusOf('profiles_retrieve', { organization: 'xia' }, 'donny')).toBe(404);
    await replay({
      example: 'POST /api/profile/',
      operationId: 'profiles_create',
      as: 'xia',
      sendsBody: true,
      status: 201,
    });
  });
});

seedGroup('seed 001: role examples', () => {
  replayEach([
    {
      scenario: 'GET /api/profile/cowork/roles/ includes alice, a manager of cowork',
      example: 'GET /api/profile/{organization}/roles/',
      operationId: 'roles_list',
      params: cowork,
      as: 'donny',
      status: 200,
      items: true,
      contradicted: aliceAsPending,
    },
    {
      scenario: "GET /api/profile/cowork/roles/describe/ lists manager (global) and contributor (cowork's)",
      example: 'GET /api/profile/{organization}/roles/describe/',
      operationId: 'roles_describe_list',
      params: cowork,
      as: 'donny',
      status: 200,
      items: true,
      // The manager description is titled differently in each example ("Managers" here); its roles list all managers.
      contradicted: ['results.[].title'],
      checks: (list) => expect(list.count).toBe(2),
    },
    {
      scenario: 'POST /api/profile/cowork/roles/describe/ creates "Support" with the slug support',
      example: 'POST /api/profile/{organization}/roles/describe/',
      operationId: 'roles_describe_create',
      params: cowork,
      as: 'donny',
      sendsBody: true,
      status: 201,
    },
  ]);

  it('GET and PUT /api/profile/cowork/roles/describe/manager answer the description with donny among its roles', async () => {
    const get = await t.call('roles_describe_retrieve', { params: coworkManager, headers: donny });
    expect(get.status).toBe(200);
    // Its roles also hold alice and xia's pending grant; donny's record is dated 2014 in part 1's examples.
    expectSeed(without(get.body, ['roles']), 'GET /api/profile/{organization}/roles/describe/{role}/', [
      'title',
      'roles',
    ]);
    expectSomeMatch(
      masked(get.body.roles),
      masked(seedExample('GET /api/profile/{organization}/roles/describe/{role}/').response.roles[0]),
    );
    const ex = seedExample('PUT /api/profile/{organization}/roles/describe/{role}/');
    const put = await t.call('roles_describe_update', {
      params: coworkManager,
      headers: donny,
      body: ex.request!.body,
    });
    expect(put.status).toBe(200);
    expectSeed(without(put.body, ['roles']), 'PUT /api/profile/{organization}/roles/describe/{role}/', ['roles']);
    expect(put.body.slug).toBe('manager');
  });

  replayEach([
    {
      scenario: 'GET /api/profile/cowork/roles/manager/ includes alice',
      example: 'GET /api/profile/{organization}/roles/{role}/',
      operationId: 'roles_by_description_list',
      params: coworkManager,
      as: 'donny',
      status: 200,
      items: true,
      contradicted: aliceAsPending,
    },
    {
      scenario: 'PUT /api/users/xia/accessibles/accept/0123456789abcef/ accepts the manager role cowork granted xia',
      example: 'PUT /api/users/{user}/accessibles/accept/{verification_key}/',
      operationId: 'accessibles_accept',
      params: xiaKey,
      as: 'xia',
      status: 200,
      contradicted: alicesRole,
      checks: async (accepted) => {
        expect(accepted).toMatchObject({
          slug: 'cowork',
          user: { slug: 'xia' },
          grant_key: null,
          role_description: { slug: 'manager' },
        });
        expect(await statusOf('accessibles_accept', xiaKey, 'xia')).toBe(404);
      },
    },
  ]);

  it('GET /api/users/alice/accessibles/ and .../accessibles/manager/ list cowork', async () => {
    // The seed gives cowork the address help@cowork.net and its own URLs (https://cowork.net/...).
    const contradicted = [
      'results.[].email',
      'results.[].role_description.title',
      'results.[].home_url',
      'results.[].settings_url',
      'results.[].remove_api_url',
    ];
    const alices = { example: 'GET /api/users/{user}/accessibles/', as: 'alice', status: 200, contradicted } as const;
    await replay({ ...alices, operationId: 'accessibles_list', params: { user: 'alice' }, items: true });
    await replay({
      ...alices,
      example: 'GET /api/users/{user}/accessibles/{role}/',
      operationId: 'accessibles_by_role_list',
      params: { user: 'alice', role: 'manager' },
    });
  });

  replayEach([
    {
      scenario: 'POST /api/profile/cowork/roles/manager/ {"slug": "xia"} answers xia (already a manager: 200)',
      example: 'POST /api/profile/{organization}/roles/{role}/',
      operationId: 'roles_grant',
      params: coworkManager,
      as: 'donny',
      sendsBody: true,
      status: 200,
    },
    {
      scenario: "POST /api/profile/cowork/roles/manager/xia/ re-sends the invite and answers xia's role",
      example: 'POST /api/profile/{organization}/roles/{role}/{user}/',
      operationId: 'roles_resend',
      params: { ...coworkManager, user: 'xia' },
      as: 'donny',
      status: 200,
      // The seed answers alice's role (a pending request) under xia's URL.
      contradicted: alicesRole,
      checks: (role) => expect(role.user.slug).toBe('xia'),
    },
  ]);

  it('DELETE /api/users/xia/accessibles/manager/cowork/, then POST /api/users/xia/accessibles/ requests a role on cowork', async () => {
    expect(await statusOf('accessibles_revoke', xiaOnCowork, 'xia')).toBe(204);
    const requested = await replay({
      example: 'POST /api/users/{user}/accessibles/',
      operationId: 'accessibles_request',
      params: { user: 'xia' },
      as: 'xia',
      sendsBody: true,
      status: 201,
      contradicted: coworkAsRequested,
    });
    expect(requested.request_key).toMatch(/^[0-9a-f]{40}$/);
  });

  replayEach([
    {
      scenario: 'POST /api/users/xia/accessibles/manager/cowork/ re-sends the request',
      example: 'POST /api/users/{user}/accessibles/{role}/{organization}/',
      operationId: 'accessibles_resend',
      params: xiaOnCowork,
      as: 'xia',
      status: 200,
      // The seed answers alice's role; xia's request has no description yet.
      contradicted: ['user', 'role_description', 'request_key'],
      checks: (role) =>
        expect(role).toMatchObject({ user: { slug: 'xia' }, role_description: null, request_key: expect.any(String) }),
    },
  ]);

  it('POST /api/users/xia/accessibles/manager/ {"slug": "cowork"} requests the manager role (once the first request is dropped)', async () => {
    expect(await statusOf('accessibles_revoke', xiaOnCowork, 'xia')).toBe(204);
    await replay({
      example: 'POST /api/users/{user}/accessibles/{role}/',
      operationId: 'accessibles_by_role_request',
      params: { user: 'xia', role: 'manager' },
      as: 'xia',
      sendsBody: true,
      status: 201,
      contradicted: [...coworkAsRequested, 'role_description.title'],
    });
  });

  it('DELETE /api/profile/cowork/roles/manager/xia/ answers 204 and xia has no role on cowork left', async () => {
    expect(await statusOf('roles_revoke', { ...coworkManager, user: 'xia' }, 'donny')).toBe(204);
    const left = await t.call('accessibles_list', { params: { user: 'xia' }, headers: xia });
    expect(left.body.results.map((r: any) => r.slug)).toEqual(['xia']);
  });

  it('DELETE /api/profile/cowork/roles/describe/manager answers 204: the description and every manager role go', async () => {
    expect(await statusOf('roles_describe_destroy', coworkManager, 'donny')).toBe(204);
    const state = await t.admin<any>('GET', '/state');
    expect(state.apis.djaoapp.roles.filter((r: any) => r.role_description === 'manager')).toEqual([]);
    expect(await statusOf('roles_describe_list', cowork, 'donny')).toBe(403);
  });
});

seedGroup('seed 001: plan examples', () => {
  const openSpace = { organization: 'cowork', plan: 'open-space' };

  it('GET /api/pricing/ and GET /api/profile/cowork/plans list managed', async () => {
    // The seed's site sells only "managed"; the fixtures' cowork also sells open-space and premium. Its examples write
    // a plan's provider as a slug, its field list (and 0.11.0) as an object.
    const contradicted = ['count', 'results.[].organization'];
    await replay({
      example: 'GET /api/pricing/',
      operationId: 'pricing_list',
      status: 200,
      items: true,
      contradicted,
    });
    await replay({
      example: 'GET /api/profile/{organization}/plans/',
      operationId: 'plans_list',
      params: cowork,
      as: 'donny',
      status: 200,
      items: true,
      contradicted,
    });
  });

  it('DELETE /api/profile/cowork/plans/open-space is 403 while it has subscribers', async () => {
    const res = await t.call('plans_destroy', { params: openSpace, headers: donny });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Cannot delete a plan with subscribers' });
  });

  it("the seed's plan examples act on an open-space nobody subscribed to: DELETE, POST, GET, PUT, DELETE", async () => {
    // Subscriptions are never deleted through the API; the scenario drops the fixture's through the admin API.
    await editState((djaoapp) => {
      djaoapp.subscriptions = djaoapp.subscriptions.filter((s: any) => s.plan !== 'open-space');
    });
    expect(await statusOf('plans_destroy', openSpace, 'donny')).toBe(204);
    const created = await replay({
      example: 'POST /api/profile/{organization}/plans/',
      operationId: 'plans_create',
      params: cowork,
      as: 'donny',
      sendsBody: true,
      status: 201,
    });
    expect(created.slug).toBe('open-space');
    const thePlan = { params: openSpace, as: 'donny', status: 200 } as const;
    await replay({
      ...thePlan,
      example: 'GET /api/profile/{organization}/plans/{plan}/',
      operationId: 'plans_retrieve',
    });
    await replay({
      ...thePlan,
      example: 'PUT /api/profile/{organization}/plans/{plan}/',
      operationId: 'plans_update',
      sendsBody: true,
    });
    expect(await statusOf('plans_destroy', openSpace, 'donny')).toBe(204);
    expect(await statusOf('plans_retrieve', openSpace, 'donny')).toBe(404);
  });
});

seedGroup('seed 001: subscription examples', () => {
  // The subscription examples write xia's profile at "350 Bay St." 94133, UTC (her profile example: "185 Berry St
  // #550", Europe/Kiev) and open-space in cad (usd everywhere else, billing included), its provider a slug (an object
  // in the seed's field list and in 0.11.0).
  const xiasOpenSpace = [
    'organization.street_address',
    'organization.postal_code',
    'organization.default_timezone',
    'organization.email',
    'plan.unit',
    'plan.organization',
  ];
  const byCowork = { organization: 'cowork', plan: 'open-space', subscriber: 'xia' };
  const byXia = { organization: 'xia', subscribed_plan: 'open-space' };
  const requestKey = 'a00000d0a0000001234567890123456789012345';

  replayEach([
    {
      scenario: "GET /api/profile/cowork/plans/premium/subscriptions/ lists xia's past subscription",
      example: 'GET /api/profile/{organization}/plans/{plan}/subscriptions/',
      operationId: 'plan_subscriptions_list',
      params: { organization: 'cowork', plan: 'premium' },
      as: 'donny',
      status: 200,
    },
    {
      scenario: 'GET /api/profile/cowork/subscribers/?o=created_at&ot=desc lists xia',
      example: 'GET /api/profile/{organization}/subscribers/',
      operationId: 'subscribers_list',
      params: cowork,
      query: { o: 'created_at', ot: 'desc' },
      as: 'donny',
      status: 200,
    },
  ]);

  it("GET /api/profile/{organization}/subscriptions/ lists xia's subscription to open-space (the seed asks cowork for it)", async () => {
    await replay({
      example: 'GET /api/profile/{organization}/subscriptions/',
      operationId: 'subscriptions_list',
      params: { organization: 'xia' },
      query: { o: 'created_at', ot: 'desc' },
      as: 'xia',
      status: 200,
      items: true,
      // Its open-space has the long description and the seed's own app URL.
      contradicted: ['results.[].plan.description', 'results.[].plan.app_url'],
    });
    expect((await t.call('subscriptions_list', { params: cowork, headers: donny })).body.count).toBe(0);
  });

  it('GET /api/profile/cowork/plans/open-space/subscriptions/xia/ and GET /api/profile/xia/subscriptions/open-space/ answer it', async () => {
    await replay({
      example: 'GET /api/profile/{organization}/plans/{plan}/subscriptions/{subscriber}/',
      operationId: 'plan_subscription_retrieve',
      params: byCowork,
      as: 'donny',
      status: 200,
      contradicted: xiasOpenSpace,
    });
    // xia is no manager of cowork: not editable for her.
    const hers = await replay({
      example: 'GET /api/profile/{organization}/subscriptions/{subscribed_plan}/',
      operationId: 'subscription_retrieve',
      params: byXia,
      as: 'xia',
      status: 200,
      contradicted: [...xiasOpenSpace, 'editable'],
    });
    expect(hers.editable).toBe(false);
  });

  it("POST /api/profile/cowork/subscribers/accept/{request_key}/ accepts xia's request for open-space", async () => {
    // Requests come from checkout (billing); the scenario marks the fixture subscription as requested.
    await editState((djaoapp) => {
      djaoapp.subscriptions.find((s: any) => s.organization === 'xia' && s.plan === 'open-space').request_key =
        requestKey;
    });
    const accept = { organization: 'cowork', request_key: requestKey };
    await replay({
      example: 'POST /api/profile/{organization}/subscribers/accept/{request_key}/',
      operationId: 'subscribers_accept',
      params: accept,
      as: 'donny',
      status: 200,
      contradicted: xiasOpenSpace,
    });
    expect(await statusOf('subscribers_accept', accept, 'donny')).toBe(404);
  });

  it('PUT /api/profile/xia/subscriptions/open-space/ and PUT /api/profile/cowork/plans/open-space/subscriptions/xia/ answer it', async () => {
    const hers = await replay({
      example: 'PUT /api/profile/{organization}/subscriptions/{subscribed_plan}/',
      operationId: 'subscription_update',
      params: byXia,
      as: 'xia',
      sendsBody: true,
      status: 200,
      contradicted: [...xiasOpenSpace, 'editable'],
    });
    // A subscriber cannot push the paid end later: it stays 2019-01-01.
    expect(hers.ends_at).toBe('2019-01-01T00:00:00Z');
    const coworks = await replay({
      example: 'PUT /api/profile/{organization}/plans/{plan}/subscriptions/{subscriber}/',
      operationId: 'plan_subscription_update',
      params: byCowork,
      as: 'donny',
      sendsBody: true,
      status: 200,
      // The seed answers description null after sending one; Standin keeps what was sent.
      contradicted: [...xiasOpenSpace, 'description'],
    });
    expect(coworks).toMatchObject({
      ends_at: '2020-01-01T00:00:00Z',
      description: 'extended after call with customer',
    });
  });

  replayEach([
    {
      scenario: 'POST /api/profile/cowork/plans/premium/subscriptions/ grants xia premium, with a key she accepts',
      example: 'POST /api/profile/{organization}/plans/{plan}/subscriptions/',
      operationId: 'plan_subscriptions_create',
      params: { organization: 'cowork', plan: 'premium' },
      as: 'donny',
      sendsBody: true,
      status: 201,
      // The seed answers a subscription to open-space (with its long description) for a post to premium.
      contradicted: ['plan'],
      checks: (subscription) =>
        expect(subscription).toMatchObject({
          plan: { slug: 'premium' },
          grant_key: expect.stringMatching(/^[0-9a-f]{40}$/),
        }),
    },
  ]);

  it('DELETE /api/profile/xia/subscriptions/open-space/ and DELETE /api/profile/cowork/plans/open-space/subscriptions/xia/ answer 204', async () => {
    expect(await statusOf('subscription_destroy', byXia, 'xia')).toBe(204);
    expect(await statusOf('subscription_retrieve', byXia, 'xia')).toBe(404);
    expect(await statusOf('plan_subscription_destroy', byCowork, 'donny')).toBe(204);
  });
});
