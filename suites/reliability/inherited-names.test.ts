/**
 * Ids are data, never property names: the names every JavaScript object inherits (`__proto__`, `constructor`,
 * `toString`…) sent wherever a request names something. Generated from the contracts:
 * - as every path parameter of every operation of every contract (the others valid, fixture credentials): never a
 *   5xx, never a 2xx (a phantom record), the vendor's documented refusal, the sandbox's state unchanged;
 * - as credentials (tokens, API keys, user names, the organization header): answered as an unknown one is;
 * - as sandbox names: sandboxes like any other;
 * - as keys and string values anywhere in every JSON body: never a 5xx;
 * and after all of it no prototype has a new own property, and every API still creates records in a new sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../server/core/contract/load.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { basic } from '../toggl/target.ts';
import { placesOf, type Json } from './schema.ts';
import {
  APIS,
  djaoappSession,
  facts,
  Harness,
  isEmptyListing,
  NAMING_PATH_PARAMETERS,
  pathOf,
  productivePrice,
  readyTarget,
  requiredQuery,
  send,
  startSweep,
  stateText,
  UNUSED_PATH_PARAMETERS,
  validBodyOf,
  validParams,
  type ApiName,
} from './support.ts';

/** Own properties of Object.prototype and of the prototypes a store could reach through an inherited name. */
const INHERITED = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  'length',
];

const PROTOTYPES = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};
const ownKeys = () =>
  Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]),
  );
const before = ownKeys();

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

/** A body the operation's contract accepts (JSON text), and its media type; multipart gets a small file. */
function validBody(api: ApiName, op: Operation): { type?: string; json?: Json; text?: string } {
  const { type, json } = validBodyOf(h.contracts[api], op);
  if (type && json === undefined)
    return {
      type: 'multipart/form-data; boundary=x',
      text: '--x\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\n\r\na,b,c@example.com\r\n--x--\r\n',
    };
  return { type, json, text: json === undefined ? undefined : JSON.stringify(json) };
}

async function restoreState(t: ConformanceTarget, text: string): Promise<void> {
  const res = await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  if (!res.ok) throw new Error(`restoring ${t.sandbox}: ${res.status}`);
}

describe('inherited names as every path id of every operation', () => {
  it.each(APIS)(
    '%s: the vendor’s refusal, never a 5xx or a phantom record, nothing stored',
    async (api) => {
      const { t, baseline, failures } = await startSweep(h, api);
      const statuses: Record<number, number> = {};
      let calls = 0;
      for (const op of h.contracts[api].operations) {
        const { type, text } = validBody(api, op);
        const valid = validParams(api, op);
        for (const name of Object.keys(valid)) {
          const accepting =
            UNUSED_PATH_PARAMETERS[`${api}.${op.operationId}`]?.includes(name) ||
            NAMING_PATH_PARAMETERS[`${api}.${op.operationId}`]?.includes(name);
          let accepted = 0;
          for (const id of INHERITED) {
            const path = pathOf(op, { ...valid, [name]: id });
            const headers = { ...facts[api].valid, ...(type && { 'content-type': type }) };
            const res = await send(t, op.method.toUpperCase(), path, {
              headers,
              body: text,
              query: requiredQuery(h.contracts[api], op),
            });
            calls++;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            const where = `${api}.${op.operationId} ${name}=${id} → ${res.status}`;
            // A delete of nothing may answer success (idempotent): the state below shows it deleted nothing.
            const nothingThere = (op.method === 'get' && isEmptyListing(res.body)) || op.method === 'delete';
            if (res.status >= 500) failures.push(`${where}: ${res.raw.toString('utf8').slice(0, 200)}`);
            else if (res.status < 400 && !accepting && !nothingThere)
              failures.push(`${where}: a phantom record ${res.raw.toString('utf8').slice(0, 120)}`);
            if (res.status < 300) accepted++;
            const contract = t.contractProblems(op.operationId, res);
            if (contract.length)
              failures.push(
                `${where}: outside the contract: ${contract.map((p) => `${p.pointer} ${p.message}`).join(', ')}`,
              );
          }
          // The state once per parameter (it is the slow part): a refusal or a delete of nothing changes nothing.
          if (!accepted) continue;
          const after = await stateText(h.origin, t.sandbox);
          if (after !== baseline) {
            if (!accepting)
              failures.push(`${api}.${op.operationId} ${name}: an inherited name changed the sandbox's state`);
            // What a naming parameter created is real data: put the state back, so later operations meet none of it.
            await restoreState(t, baseline);
          }
        }
      }
      expect(ownKeys()).toEqual(before);
      console.log(
        `inherited names ${api}: ${calls} calls (${INHERITED.length} names × every path parameter); ${Object.entries(
          statuses,
        )
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}; ${failures.length} failures`,
      );
      for (const failure of failures.slice(0, 40)) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    180_000,
  );
});

/** Credentials made of an inherited name, per vendor, beside credentials that name nobody (the expected answer). */
const CREDENTIALS: Record<ApiName, (name: string) => Array<[string, Record<string, string>, Record<string, string>]>> =
  {
    productive: (name) => [
      ['X-Auth-Token', { 'X-Auth-Token': name, 'X-Organization-Id': '572' }, facts.productive.wrong],
      [
        'X-Organization-Id',
        { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': name },
        { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '99999' },
      ],
    ],
    togai: (name) => [['Bearer', { Authorization: `Bearer ${name}` }, facts.togai.wrong]],
    toggl: (name) => [
      ['api token', basic(name, 'api_token'), basic('no-such-token', 'api_token')],
      ['e-mail', basic(name, 'yoyo'), basic('nobody@toggl.test', 'yoyo')],
    ],
    djaoapp: (name) => [
      ['Bearer', { Authorization: `Bearer ${name}` }, { Authorization: 'Bearer no-such-token' }],
      [
        'API key',
        { Authorization: `Basic ${Buffer.from(`${name}:`).toString('base64')}` },
        { Authorization: `Basic ${Buffer.from('nokey:').toString('base64')}` },
      ],
    ],
  };

describe('inherited names as credentials and sandbox names', () => {
  it.each(APIS)(
    '%s: an inherited name as a credential is an unknown one',
    async (api) => {
      const { t, baseline, failures } = await startSweep(h, api);
      let calls = 0;
      // Authentication comes before anything else an operation does: a read and a write of each API are enough.
      const protectedOps = h.contracts[api].operations.filter((o) => o.security.length > 0);
      const sample = [
        protectedOps.find((o) => o.method === 'get'),
        protectedOps.find((o) => o.method !== 'get'),
      ].filter((o) => o !== undefined);
      for (const op of sample) {
        const { type, text } = validBody(api, op);
        const path = pathOf(op, validParams(api, op));
        for (const id of INHERITED) {
          for (const [slot, credentials, unknown] of CREDENTIALS[api](id)) {
            const call = (c: Record<string, string>) =>
              send(t, op.method.toUpperCase(), path, {
                headers: { ...c, ...(type && { 'content-type': type }) },
                body: text,
                query: requiredQuery(h.contracts[api], op),
              });
            const [res, expected] = [await call(credentials), await call(unknown)];
            calls += 2;
            // (An answer may name the value sent, as Productive's 403 names the organization.)
            const sameBody = res.raw.toString().includes(id) || res.raw.toString() === expected.raw.toString();
            if (res.status !== expected.status || !sameBody)
              failures.push(
                `${api}.${op.operationId} ${slot} ${id} → ${res.status} ${res.raw.toString().slice(0, 80)}; an unknown one → ${expected.status} ${expected.raw.toString().slice(0, 80)}`,
              );
          }
        }
      }
      expect(await stateText(h.origin, t.sandbox)).toBe(baseline);
      expect(ownKeys()).toEqual(before);
      console.log(`inherited credentials ${api}: ${calls} calls, ${failures.length} failures`);
      for (const failure of failures.slice(0, 20)) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    120_000,
  );

  it('sandboxes named like inherited properties are sandboxes of their own', async () => {
    const names = INHERITED.filter((name) => /^[A-Za-z0-9]/.test(name));
    for (const name of names) {
      const t = h.target('productive', name);
      const created = await createRecord(t);
      expect(created, name).toBe(201);
      const listed = await send(t, 'GET', '/api/v2/prices', { headers: facts.productive.valid });
      expect((listed.body as { data: unknown[] }).data.length, name).toBe(2);
    }
    const other = h.target('productive');
    const listed = await send(other, 'GET', '/api/v2/prices', { headers: facts.productive.valid });
    expect((listed.body as { data: unknown[] }).data.length).toBe(1);
    for (const name of names) expect((await fetch(`${h.origin}/__standin/sandboxes/${name}/state`)).status).toBe(200);
  });

  it('admin views named like inherited properties do not exist', async () => {
    for (const name of INHERITED) {
      expect(
        (await fetch(`${h.origin}/__standin/sandboxes/default/apis/djaoapp/${encodeURIComponent(name)}`)).status,
        name,
      ).toBe(404);
      expect(
        (await fetch(`${h.origin}/__standin/sandboxes/default/apis/${encodeURIComponent(name)}/outbox`)).status,
        name,
      ).toBe(404);
    }
  });
});

/** `{"__proto__": …}` and friends: own keys of the parsed body, with a payload that would pollute if merged. */
const POISON: Array<[string, Json]> = [
  ['__proto__', { polluted: 'yes', status: 'polluted' }],
  ['constructor', { prototype: { polluted: 'yes' } }],
  ['toString', 'polluted'],
];

/** `root` with `key` set as an own property at `path` (a plain assignment of __proto__ would set the prototype). */
function withOwnKey(root: Json, path: Array<string | number>, key: string, value: Json): Json {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const step of path) node = node[step] as Record<string | number, Json>;
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withValue(root: Json, path: Array<string | number>, value: Json): Json {
  if (!path.length) return value;
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  node[path[path.length - 1]!] = value;
  return copy;
}

describe('inherited names in JSON bodies', () => {
  it.each(APIS)(
    '%s: as keys at every object and as every string value: never a 5xx, no prototype touched',
    async (api) => {
      const t = await readyTarget(h, api);
      const failures: string[] = [];
      let calls = 0;
      for (const op of h.contracts[api].operations) {
        const { type, json } = validBody(api, op);
        if (json === undefined) continue;
        const places = placesOf(h.contracts[api].document, op.requestBody!.content[type!]!.schema, json);
        const bodies: Array<[string, Json]> = [];
        for (const place of places) {
          if (place.value && typeof place.value === 'object' && !Array.isArray(place.value))
            for (const [key, value] of POISON)
              bodies.push([`key ${key} at /${place.path.join('/')}`, withOwnKey(json, place.path, key, value)]);
          if (typeof place.value === 'string')
            for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
              bodies.push([`${id} at /${place.path.join('/')}`, withValue(json, place.path, id)]);
        }
        for (const [what, body] of bodies) {
          const res = await send(t, op.method.toUpperCase(), pathOf(op, validParams(api, op)), {
            headers: { ...facts[api].valid, 'content-type': type! },
            body: JSON.stringify(body),
            query: requiredQuery(h.contracts[api], op),
          });
          calls++;
          if (res.status >= 500)
            failures.push(`${api}.${op.operationId} ${what} → ${res.status} ${res.raw.toString().slice(0, 160)}`);
          if (
            ({} as Record<string, unknown>).polluted !== undefined ||
            ownKeys().Object!.length !== before.Object!.length
          ) {
            failures.push(`${api}.${op.operationId} ${what} polluted Object.prototype`);
            break;
          }
        }
      }
      expect(ownKeys()).toEqual(before);
      console.log(`inherited names in bodies ${api}: ${calls} calls, ${failures.length} failures`);
      for (const failure of failures.slice(0, 20)) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    180_000,
  );
});

/** One create per API in a sandbox of its own: 201 (200 for DjaoApp's cart). */
async function createRecord(t: ConformanceTarget): Promise<number> {
  const res = await send(t, 'POST', '/api/v2/prices', {
    headers: { ...facts.productive.valid, 'content-type': 'application/vnd.api+json' },
    body: productivePrice('After the attack', 12000),
  });
  return res.status;
}

describe('after every attack above', () => {
  it('no prototype has a new property, and every API still creates records', async () => {
    expect(ownKeys()).toEqual(before);
    expect(await createRecord(h.target('productive'))).toBe(201);
    const togai = h.target('togai');
    const account = await send(togai, 'POST', '/accounts', {
      headers: { ...facts.togai.valid, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'AFTER-ATTACK',
        name: 'After the attack',
        customerId: 'C-after',
        invoiceCurrency: 'USD',
      }),
    });
    expect(account.status, account.raw.toString()).toBe(201);
    const toggl = h.target('toggl');
    const feedback = await send(toggl, 'POST', '/api/v9/workspaces/56/pricing_plans/56/feedback', {
      headers: { ...facts.toggl.valid, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'After the attack', master_signup: false }),
    });
    expect(feedback.status, feedback.raw.toString()).toBe(200);
    const djaoapp = h.target('djaoapp');
    await djaoappSession(djaoapp);
    const user = await send(djaoapp, 'PUT', '/api/users/xia/', {
      headers: { ...facts.djaoapp.other, 'content-type': 'application/json' },
      body: JSON.stringify({ full_name: 'Xia after the attack', email: 'xia@localhost.localdomain' }),
    });
    expect(user.status, user.raw.toString()).toBe(200);
  });
});
