/**
 * Hostile restores and clock input: a snapshot (`PUT …/state`) and a clock command (`POST …/clock`) are checked
 * whole before anything is stored — the clock's fields within the years 1000 to 9000, `apis` an object of the served
 * APIs, each API's state against its plugin's validateState — and a refusal is a 400 naming the problem that leaves
 * the sandbox byte-identical. Then fast-check throws hostile snapshots and clock commands at one sandbox, and after
 * each the sandbox list, another sandbox's API calls and the restored sandbox's own never answer 5xx.
 * RELIABILITY_FUZZ_RUNS (default 12) scales the cases, RELIABILITY_SEED sets the seed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugins } from '../../server/apis/index.ts';
import { serveStandin, type ServedStandin } from '../support/serve.ts';

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 12);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261203);
const json = { 'content-type': 'application/json' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let served: ServedStandin;
beforeAll(async () => (served = await serveStandin()));
afterAll(() => served.stop());

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${served.base}/__standin${path}`, {
    method,
    headers: method === 'GET' ? {} : json,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const stateText = async (sandbox: string) => (await admin('GET', `/sandboxes/${sandbox}/state`)).text();

/** One call per vendor as its fixture users make them: the statuses they answer in this sandbox. */
async function vendorCalls(sandbox: string): Promise<Record<string, number>> {
  const at = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${served.base}${path}`, { ...init, headers: { ...headers, 'x-standin-sandbox': sandbox } }).then(
      async (res) => {
        await res.arrayBuffer();
        return res;
      },
    );
  const login = await fetch(`${served.base}/djaoapp/api/auth/`, {
    method: 'POST',
    headers: { ...json, 'x-standin-sandbox': sandbox },
    body: '{"username": "donny", "password": "yoyo"}',
  });
  const token = login.ok ? ((await login.json()) as { token: string }).token : 'none';
  return {
    'productive list_prices': (
      await at('/productive/api/v2/prices', { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' })
    ).status,
    'productive get_price': (
      await at('/productive/api/v2/prices/1', { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' })
    ).status,
    'togai get_accounts': (await at('/togai/accounts', { authorization: 'Bearer togai-test-token' })).status,
    'togai get_account': (await at('/togai/accounts/ACC00001', { authorization: 'Bearer togai-test-token' })).status,
    'toggl get_organization_subscription': (
      await at('/toggl/api/v9/organizations/56/subscription', {
        authorization: basic('toggl-admin-token', 'api_token'),
      })
    ).status,
    'toggl get_workspace_plans': (
      await at('/toggl/api/v9/workspaces/56/plans', { authorization: basic('toggl-admin-token', 'api_token') })
    ).status,
    'djaoapp auth_login': login.status,
    'djaoapp users_retrieve': (await at('/djaoapp/api/users/donny/', { authorization: `Bearer ${token}` })).status,
    'djaoapp subscribers': (
      await at('/djaoapp/api/profile/cowork/plans/open-space/subscriptions/', { authorization: `Bearer ${token}` })
    ).status,
  };
}
const failing = (statuses: Record<string, number>) => Object.entries(statuses).filter(([, status]) => status >= 500);

describe('a snapshot or clock command that is wrong is refused whole', () => {
  it("refuses the issue's inputs with a 400 naming the problem, and the sandbox and the list stay as they were", async () => {
    const sandbox = 'hostile-cases';
    await admin('POST', `/sandboxes/${sandbox}/clock`, { set: '2030-01-01T00:00:00Z', freeze: true });
    const before = await stateText(sandbox);
    const snapshot = JSON.parse(before);
    const cases: [string, unknown, string][] = [
      [
        'clock offset 1e300',
        { ...snapshot, clock: { offsetMs: 1e300, frozenAt: null } },
        'clock.offsetMs puts the clock outside the years 1000 to 9000',
      ],
      [
        'frozenAt not a date',
        { ...snapshot, clock: { offsetMs: 0, frozenAt: 'next tuesday' } },
        'clock.frozenAt must be an ISO-8601 date-time',
      ],
      [
        'frozenAt in year 10000',
        { ...snapshot, clock: { offsetMs: 0, frozenAt: '+010000-01-01T00:00:00.000Z' } },
        'clock.frozenAt',
      ],
      [
        'frozenAt at 9999-12-31',
        { ...snapshot, clock: { offsetMs: 0, frozenAt: '9999-12-31T23:59:59.999Z' } },
        'clock.frozenAt must be within the years 1000 to 9000',
      ],
      [
        'offsetMs a string',
        { ...snapshot, clock: { offsetMs: '0', frozenAt: null } },
        'clock.offsetMs must be a finite number',
      ],
      ['apis null', { ...snapshot, apis: null }, 'body must be a sandbox state'],
      ['apis a string', { ...snapshot, apis: 'everything' }, 'body must be a sandbox state'],
      [
        'an API a string',
        { ...snapshot, apis: { ...snapshot.apis, productive: 'prices' } },
        'state.apis.productive: / must be object',
      ],
      ['an API null', { ...snapshot, apis: { ...snapshot.apis, togai: null } }, 'state.apis.togai: / must be object'],
      [
        'an unknown API',
        { ...snapshot, apis: { ...snapshot.apis, stripe: {} } },
        'state.apis has stripe, which this Standin does not serve',
      ],
      ['a missing API', { ...snapshot, apis: { productive: snapshot.apis.productive } }, 'state.apis lacks'],
      ['an unknown field', { ...snapshot, journal: [] }, 'state.journal is not a field of a sandbox state'],
      [
        'nested 5,000 deep',
        before.replace('"extra":', `"extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"was":`),
        'deeper than 128 levels',
      ],
      ['not JSON', '{"apis": ', 'Unexpected'],
    ];
    for (const [name, body, message] of cases) {
      const res = await admin('PUT', `/sandboxes/${sandbox}/state`, body);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: string }).error, name).toContain(message);
      expect(await stateText(sandbox), name).toBe(before);
      expect((await admin('GET', '/sandboxes')).status, name).toBe(200);
    }
    const clocks: [string, unknown, string][] = [
      ['advance 1e300 ms', { advance: 1e300 }, 'advance would put the clock outside the years 1000 to 9000'],
      ['advance -1e300 ms', { advance: -1e300 }, 'outside the years 1000 to 9000'],
      ['advance 10,000 years', { advance: 'P10000Y' }, 'outside the years 1000 to 9000'],
      ['advance 1e21 years', { advance: 'P1000000000000000000000Y' }, 'outside the years 1000 to 9000'],
      ['advance Infinity', '{"advance": 1e999}', 'finite number of milliseconds'],
      ['advance an object', { advance: { days: 1 } }, 'advance must be an ISO-8601 duration'],
      ['set year 10000', { set: '+010000-01-01T00:00:00Z' }, 'set would put the clock outside'],
      [
        'set 9999-12-31, where a renewal would end in the year 10000',
        { set: '9999-12-31T00:00:00Z' },
        'set would put the clock outside',
      ],
      ['set a huge number', { set: 8.64e15 }, 'set would put the clock outside'],
      ['freeze a string', { freeze: 'no' }, 'freeze must be true or false'],
      ['reset a string', { reset: 'yes' }, 'reset must be true or false'],
      ['an unknown command', { speed: 2 }, 'speed: not a clock command'],
      ['an array', [1], 'the body must be a JSON object'],
      ['nothing', {}, 'give "set"'],
    ];
    for (const [name, body, message] of clocks) {
      const res = await admin('POST', `/sandboxes/${sandbox}/clock`, body);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: string }).error, name).toContain(message);
      expect(await stateText(sandbox), name).toBe(before);
    }
    expect(failing(await vendorCalls(sandbox))).toEqual([]);
    // The edges are kept: every vendor serves a sandbox whose clock stands there.
    for (const set of ['1000-01-01T00:00:00Z', '9000-01-01T00:00:00Z']) {
      expect((await admin('POST', `/sandboxes/${sandbox}/clock`, { set, freeze: true })).status).toBe(200);
      expect(failing(await vendorCalls(sandbox)), set).toEqual([]);
    }
  }, 60_000);

  it("checks each API's state through its plugin: a field of the wrong type or an unknown one is named by its pointer", async () => {
    const sandbox = 'typed';
    await admin('POST', `/sandboxes/${sandbox}/reset`);
    const before = await stateText(sandbox);
    const snapshot = JSON.parse(before);
    const mutations: [string, (apis: any) => void, string][] = [
      ['productive', (apis) => (apis.productive.prices['1'].unit_id = 'one'), '/prices/1/unit_id must be number'],
      [
        'productive',
        (apis) => (apis.productive.prices['1'].colour = 'red'),
        '/prices/1 has "colour", which is not a field of it',
      ],
      ['togai', (apis) => (apis.togai.accounts = []), '/accounts must be object'],
      ['togai', (apis) => (apis.togai.sequence = null), '/sequence must be number'],
      ['toggl', (apis) => (apis.toggl.organizations = 'none'), '/organizations must be object'],
      ['djaoapp', (apis) => (apis.djaoapp.users = { donny: {} }), '/users must be array'],
      ['djaoapp', (apis) => delete apis.djaoapp.users[0].email, "/users/0 must have required property 'email'"],
    ];
    for (const [api, mutate, message] of mutations) {
      const apis = structuredClone(snapshot.apis);
      mutate(apis);
      const res = await admin('PUT', `/sandboxes/${sandbox}/state`, { ...snapshot, apis });
      expect(res.status, message).toBe(400);
      const body = (await res.json()) as { error: string; problems: string[] };
      expect(body.problems, message).toContain(`state.apis.${api}: ${message}`);
      expect(await stateText(sandbox)).toBe(before);
    }
  });

  it("takes back what it gave: every plugin's fixtures and a snapshot after traffic round-trip unchanged", async () => {
    for (const plugin of plugins) expect(plugin.validateState?.(plugin.fixtures()), plugin.name).toEqual([]);
    const sandbox = 'round-trip';
    await vendorCalls(sandbox);
    await admin('POST', `/sandboxes/${sandbox}/clock`, { advance: 'P400D' });
    await vendorCalls(sandbox);
    const snapshot = await stateText(sandbox);
    const put = await admin('PUT', `/sandboxes/${sandbox}/state`, snapshot);
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await stateText(sandbox)).toBe(snapshot);
    // Without a clock the sandbox keeps its own.
    const { apis } = JSON.parse(snapshot);
    expect((await admin('PUT', `/sandboxes/${sandbox}/state`, { apis })).status).toBe(200);
    expect(await stateText(sandbox)).toBe(snapshot);
  });
});

/** JSON values of every type but the one `like` has: what replaces a field in a type mutation. */
const otherJsonType = (like: unknown) =>
  fc.jsonValue({ maxDepth: 2 }).filter((value) => jsonType(value) !== jsonType(like));
const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every path (list of keys) into a value, up to a depth. */
function pathsOf(value: unknown, depth = 6, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || depth === 0) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    [...prefix, key],
    ...pathsOf(child, depth - 1, [...prefix, key]),
  ]);
}

function replaced(root: any, path: string[], value: unknown): any {
  const copy = structuredClone(root);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)!] = value;
  return copy;
}

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e300, -1e300, 8.64e15, -8.64e15, Number.MAX_SAFE_INTEGER, 0, -1),
);
/** Instants a clock may show, the extremes most often. */
const validDate = fc.oneof(
  fc.constantFrom(
    '9000-01-01T00:00:00.000Z',
    '1000-01-01T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '2016-01-01T00:00:00.000Z',
  ),
  fc
    .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9000-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
);
const hostileDate = fc.oneof(
  validDate,
  fc.string(),
  fc.constantFrom(
    '9999-12-31T23:59:59.999Z',
    '0001-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2030-13-45T99:99:99Z',
    '2030-01-01',
    'now',
  ),
  hostileNumber,
  fc.constant(null),
);

/**
 * A hostile input, kept small so that a failing case reads in one line: a snapshot is the fixtures' with one part
 * replaced (`at` a path, `apis` or `clock` entirely, or the whole body), a clock command is sent as is.
 */
type Hostile = { kind: 'snapshot'; at: string[]; value: unknown } | { kind: 'clock'; command: unknown };

function snapshotOf(fixtures: any, at: string[], value: unknown): unknown {
  return at.length ? replaced(fixtures, at, value) : value;
}

describe('fuzzing restores and clock commands never breaks the list, another sandbox or the restored one', () => {
  it('keeps every sandbox answering after each hostile snapshot or clock command', async () => {
    const victim = 'fuzzed';
    const bystander = 'bystander';
    await admin('POST', `/sandboxes/${victim}/reset`);
    const fixtures = JSON.parse(await stateText(victim));
    const apiNames = Object.keys(fixtures.apis);
    const statePaths = apiNames.flatMap((api) => pathsOf(fixtures.apis[api]).map((path) => ['apis', api, ...path]));
    expect(failing(await vendorCalls(bystander))).toEqual([]);

    const at = (path: string[], value: fc.Arbitrary<unknown>) =>
      value.map((v): Hostile => ({ kind: 'snapshot', at: path, value: v }));
    // A field of some API's state given a value of another JSON type.
    const typeMutation = fc
      .constantFrom(...statePaths)
      .chain((path) => at(path, otherJsonType(path.reduce((node: any, key) => node[key], fixtures))));
    const snapshot = fc.oneof(
      at([], fc.jsonValue({ maxDepth: 3 })),
      at(['clock'], fc.record({ offsetMs: hostileNumber, frozenAt: hostileDate })),
      at(
        ['clock'],
        validDate.map((frozenAt) => ({ offsetMs: 0, frozenAt })),
      ),
      at(['clock'], fc.jsonValue({ maxDepth: 2 })),
      at(['apis'], fc.jsonValue({ maxDepth: 2 })),
      fc.constantFrom(...apiNames).chain((api) => at(['apis', api], fc.jsonValue({ maxDepth: 3 }))),
      typeMutation,
      typeMutation,
    );
    const clockCommand = fc
      .oneof(
        fc.record({ set: validDate, freeze: fc.boolean() }, { requiredKeys: ['set'] }),
        fc.record({
          advance: fc.oneof(
            fc.constantFrom('P1D', 'P1M', 'P400D', 'PT1H', 'P100Y', 'P7000Y'),
            fc.integer({ min: -1e12, max: 1e12 }),
          ),
        }),
        fc.record(
          {
            set: hostileDate,
            advance: fc.oneof(
              hostileNumber,
              fc.string(),
              fc.constantFrom('P9999Y', 'P1000000000000Y', 'PT0.000001S', 'P1M', 'P'),
            ),
            freeze: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
            reset: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map((command): Hostile => ({ kind: 'clock', command }));

    const seen: Record<string, number> = {};
    const property = fc.asyncProperty(fc.oneof(snapshot, clockCommand), async (hostile) => {
      await admin('PUT', `/sandboxes/${victim}/state`, fixtures);
      const before = await stateText(victim);
      const res =
        hostile.kind === 'snapshot'
          ? await admin('PUT', `/sandboxes/${victim}/state`, snapshotOf(fixtures, hostile.at, hostile.value))
          : await admin('POST', `/sandboxes/${victim}/clock`, hostile.command);
      const key = `${hostile.kind} ${res.status}`;
      seen[key] = (seen[key] ?? 0) + 1;
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) expect(await stateText(victim)).toBe(before);
      expect((await admin('GET', '/sandboxes')).status).toBe(200);
      expect((await admin('GET', `/sandboxes/${victim}`)).status).toBe(200);
      expect(failing(await vendorCalls(bystander))).toEqual([]);
      expect(failing(await vendorCalls(victim))).toEqual([]);
    });
    await fc.assert(property, { numRuns: RUNS * 10, seed: SEED });
    console.log(
      `restore fuzz: ${RUNS * 10} hostile inputs (seed ${SEED}): ${Object.entries(seen)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ')}`,
    );
  }, 240_000);
});
