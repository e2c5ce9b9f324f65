/**
 * What the reliability suites share: one in-process Standin serving every API on loopback, a conformance target
 * per API on it (the suites' contract check), the fixtures' credentials of each vendor (valid, wrong, another
 * tenant's) and the ids that exist in the fixtures, so bad input reaches validation and the handlers.
 */
import { newPriceDocument } from '../../fixtures/productive/index.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createStandin, type Standin, type StandinOptions } from '../../server/app.ts';
import { loadContract, type Contract, type Operation } from '../../server/core/contract/load.ts';
import { compileContract } from '../../server/core/validator/compile.ts';
import { ConformanceTarget } from '../support/target.ts';
import { basic } from '../toggl/target.ts';
import { sampleOf, type Json } from './schema.ts';

export const APIS = ['productive', 'togai', 'toggl', 'djaoapp'] as const;
export type ApiName = (typeof APIS)[number];

export interface VendorFacts {
  /** Credentials that reach every operation of the fixtures' first tenant (for DjaoApp: a login, see session). */
  valid: Record<string, string>;
  /** Well-formed credentials that name nobody. */
  wrong: Record<string, string>;
  /** A second tenant's valid credentials: they must never see the first tenant's data. */
  other: Record<string, string>;
  /** Path parameter name → a value that exists in the fixtures and belongs to the first tenant. */
  ids: Record<string, string>;
  /** Strings of the first tenant's data that no answer to another tenant may contain. */
  secrets: string[];
}

/** The fixtures' credentials and ids (docs/<api>.md, "Credentials"). DjaoApp's bearer tokens come from login. */
export const facts: Record<ApiName, VendorFacts> = {
  productive: {
    valid: { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' },
    wrong: { 'X-Auth-Token': 'productive-no-such-token', 'X-Organization-Id': '572' },
    other: { 'X-Auth-Token': 'productive-other-token', 'X-Organization-Id': '573' },
    ids: { id: '1' },
    // Price 1 belongs to organization 572: its service type, company and updater.
    secrets: ['"service_type_id":"107"', '"company_id":"1926"', '"updater_id":"1457"', '"1926"', '"1457"'],
  },
  togai: {
    valid: { Authorization: 'Bearer togai-test-token' },
    wrong: { Authorization: 'Bearer togai-no-such-token' },
    other: { Authorization: 'Bearer togai-other-token' },
    ids: {
      account_id: 'ACC00001',
      purchase_id: 'purchase.1zYnCiM9Bpg.lv25y',
      purchase_proposal_id: 'purchase.20rqjgFJf2O.ejl25',
    },
    secrets: [
      'Primary Account',
      'account.1zYnCiM9Bpg.ac001',
      'customer.1zYnCiM9Bpg.c1234',
      'C1234qwd',
      'admin@example.com',
      'acme_primary',
      'ACME Enterprise',
      'G234DZZKBKACATFFGVGEMERFI',
      'ig.20qHVbNqDwN.x7Jwz',
    ],
  },
  toggl: {
    valid: basic('admin@toggl.test', 'yoyo'),
    wrong: basic('admin@toggl.test', 'not-the-password'),
    other: basic('other@toggl.test', 'yoyo'),
    ids: {
      organization_id: '56',
      workspace_id: '56',
      subscription_id: '56',
      invoice_uid: 'invoice_uid_example',
      invoice_id: '55',
      payment_id: '55',
      purchase_order_id: '56',
      pricing_plan_id: '56',
      plan_id: '56',
      profile_id: '5601',
    },
    secrets: [
      'Toggl Test Org',
      'billing@toggl.test',
      '1 Test Street',
      'card-5601',
      '4242',
      'TGL-2026-000055',
      'Toggl Test Workspace',
      'admin@toggl.test',
    ],
  },
  djaoapp: {
    valid: {},
    wrong: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImRvbm55In0.c2lnbmF0dXJlLW9mLW5vYm9keQ' },
    // A plain user: reads and edits only their own records, never the managers' or other users'.
    other: {},
    ids: {
      user: 'xia',
      verification_key: '0123456789abcef0123456789abcef',
      uidb64: '0123456789abcef0123456789abcef',
      token: 'abc123',
      agreement: 'terms-of-use',
      template: 'password_reset',
      slug: '_my-element_',
      rule: '/app/',
      organization: 'cowork',
      role: 'manager',
      plan: 'open-space',
      subscriber: 'xia',
      subscribed_plan: 'open-space',
      request_key: '0123456789abcef',
      report: 'taxes',
      rank: '1',
    },
    secrets: [
      'donny@localhost.localdomain',
      'alice@djaodjin.com',
      'Donny Cooper',
      'Alice Cooper',
      'joe1@localhost.localdomain',
      'Joe Act',
    ],
  },
};

/** A new Productive price named `name` (a JSON:API document). */
export const productivePriceDocument = (name: string, rate = 100) => newPriceDocument({ name, rate });

/** The same price as JSON:API text. */
export const productivePrice = (name: string, rate = 100): string =>
  JSON.stringify(productivePriceDocument(name, rate));

export const FROZEN_AT = '2026-11-15T12:00:00Z';

/** One Standin serving every API, and a conformance target per API on it. */
export class Harness {
  readonly contracts: Record<ApiName, Contract>;
  readonly origin: string;
  private constructor(
    readonly standin: Standin,
    private readonly server: Server,
  ) {
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.contracts = Object.fromEntries(APIS.map((api) => [api, loadContract(api)])) as Record<ApiName, Contract>;
  }

  static async start(options: StandinOptions = {}): Promise<Harness> {
    const standin = await createStandin({ strict: true, ...options });
    const server = await new Promise<Server>((resolve) => {
      const s = standin.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return new Harness(standin, server);
  }

  /** A target of `api` in its own sandbox (a fresh name unless given). */
  target(api: ApiName, sandbox = `rel-${api}-${randomUUID().slice(0, 8)}`): ConformanceTarget {
    return new ConformanceTarget(api, `${this.origin}/${api}`, this.origin, sandbox);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.standin.close();
  }
}

/** The sandbox's whole state as the admin API sends it: the bytes compared before and after a request. */
export async function stateText(origin: string, sandbox: string): Promise<string> {
  const res = await fetch(`${origin}/__standin/sandboxes/${sandbox}/state`);
  if (!res.ok) throw new Error(`state of ${sandbox}: ${res.status}`);
  return res.text();
}

/** Back to the fixtures with the clock frozen, so that nothing but a request can change the state. */
export async function freshSandbox(t: ConformanceTarget): Promise<void> {
  await t.admin('POST', '/reset');
  await t.admin('POST', '/clock', { set: FROZEN_AT, freeze: true });
}

/** A valid, harmless read per API (operationId and path parameters). */
const SETTLING_READ: Record<ApiName, [string, Record<string, string>]> = {
  productive: ['list_prices', {}],
  togai: ['get_accounts', {}],
  toggl: ['get_workspace_subscription', { workspace_id: '56' }],
  djaoapp: ['users_retrieve', { user: 'xia' }],
};

/**
 * One valid read, so that what the sandbox clock settles lazily on the next request (renewals, expiries) is
 * settled before a baseline is taken: a refused request must change nothing, but the clock may.
 */
export async function settle(t: ConformanceTarget, api: ApiName): Promise<void> {
  const [operationId, params] = SETTLING_READ[api];
  const op = t.operation(operationId);
  const res = await t.send(
    op.method.toUpperCase(),
    op.path.replace(/\{([^}]+)\}/g, (_, n: string) => params[n]!),
    { headers: facts[api].valid },
  );
  if (res.status !== 200) throw new Error(`settling read ${api}.${operationId}: ${res.status}`);
}

/** DjaoApp signs in: a broker manager (donny) for the valid column, a plain user (xia) as the "other tenant". */
export async function djaoappSession(t: ConformanceTarget): Promise<void> {
  const login = async (username: string) => {
    const res = await t.send('POST', '/api/auth/', { body: { username, password: 'yoyo' } }, t.operation('auth_login'));
    if (res.status !== 201) throw new Error(`djaoapp login as ${username}: ${res.status} ${res.raw.toString()}`);
    return { Authorization: `Bearer ${(res.body as { token: string }).token}` };
  };
  facts.djaoapp.valid = await login('donny');
  facts.djaoapp.other = await login('xia');
}

/** The harness's target for `api`, its sandbox back at the fixtures, signed in (DjaoApp) and settled. */
export async function readyTarget(h: Harness, api: ApiName): Promise<ConformanceTarget> {
  const t = h.target(api);
  await freshSandbox(t);
  if (api === 'djaoapp') await djaoappSession(t);
  await settle(t, api);
  return t;
}

/** The start of a sweep over one API: its ready target, its sandbox's state before, and the failures found. */
export async function startSweep(
  h: Harness,
  api: ApiName,
): Promise<{ t: ConformanceTarget; baseline: string; failures: string[] }> {
  const t = await readyTarget(h, api);
  return { t, baseline: await stateText(h.origin, t.sandbox), failures: [] };
}

/** Path parameters of an operation, valid ones from the fixtures. */
export function validParams(api: ApiName, op: Operation): Record<string, string> {
  const params: Record<string, string> = {};
  for (const p of op.parameters.filter((p) => p.in === 'path')) {
    // A parameter the facts do not know yet (a vendor's new operation) gets a value that names nothing.
    params[p.name] = facts[api].ids[p.name] ?? 'no-such-record';
  }
  return params;
}

/**
 * Path parameters the contract documents as not used by the operation (x-standin-note): any value is accepted.
 * DjaoApp's accessibles answer the user's role on the profile "whatever its description" (the seed's example).
 */
export const UNUSED_PATH_PARAMETERS: Record<string, string[]> = {
  'djaoapp.accessibles_resend': ['role'],
  'djaoapp.accessibles_revoke': ['role'],
};

/**
 * Path parameters that name rather than refer to a record: any value is accepted. A DjaoApp balance sheet is only a
 * name its rows share: an unknown one is an empty sheet, and adding a row starts it.
 */
export const NAMING_PATH_PARAMETERS: Record<string, string[]> = {
  'djaoapp.metrics_balance_sheet_retrieve': ['report'],
  'djaoapp.metrics_balance_lines_create': ['report'],
};

/** A list with nothing in it (a filter in the path that matches nothing): [], {results: []}, {data: []}. */
export function isEmptyListing(body: unknown): boolean {
  if (Array.isArray(body)) return body.length === 0;
  if (!body || typeof body !== 'object') return false;
  const list = (body as { results?: unknown; data?: unknown }).results ?? (body as { data?: unknown }).data;
  return Array.isArray(list) && list.length === 0;
}

const compiledContracts = new Map<Contract, ReturnType<typeof compileContract>>();

/**
 * The first media type of an operation's body and, when it is JSON, a body its contract accepts: every property the
 * schema describes when that is valid, else the required ones.
 */
export function validBodyOf(contract: Contract, op: Operation): { type?: string; json?: Json } {
  if (!op.requestBody) return {};
  const [type, media] = Object.entries(op.requestBody.content)[0]!;
  if (!/json/i.test(type)) return { type };
  if (!compiledContracts.has(contract)) compiledContracts.set(contract, compileContract(contract));
  const validate = compiledContracts.get(contract)!.get(op.operationId)!.body.get(type);
  const full = sampleOf(contract.document, media.schema, 0, true);
  return { type, json: validate?.(structuredClone(full)) ? full : sampleOf(contract.document, media.schema) };
}

/** validBodyOf as it is sent: the content type and the body's JSON text. */
export function validBodyText(contract: Contract, op: Operation): { type?: string; text?: string } {
  const { type, json } = validBodyOf(contract, op);
  return { type, text: json === undefined ? undefined : JSON.stringify(json) };
}

/**
 * An operation's path filled with `params`, each percent-encoded; one glued to the text before it (DjaoApp's
 * `/api/proxy/rules{rule}`) is a path of its own and keeps its slashes.
 */
export function pathOf(op: Operation, params: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string, at: number) =>
    at > 0 && op.path[at - 1] !== '/'
      ? params[name]!.split('/').map(encodeURIComponent).join('/')
      : encodeURIComponent(params[name]!),
  );
}

/** The query parameters an operation requires, each with a value its contract accepts. */
export function requiredQuery(contract: Contract, op: Operation): Array<[string, string]> {
  return op.parameters
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => [p.name, String(sampleOf(contract.document, p.schema))]);
}

/**
 * Sends `op` valid in all but what the caller changes: `headers` (the credentials), `params` (fixture ids by
 * default), a body its contract accepts and its required query. The answer, and the path and body text sent.
 */
export async function sendOperation(
  h: Harness,
  t: ConformanceTarget,
  api: ApiName,
  op: Operation,
  { headers, params = validParams(api, op) }: { headers: Record<string, string>; params?: Record<string, string> },
): Promise<{ res: Sent; path: string; text?: string }> {
  const { type, text } = validBodyText(h.contracts[api], op);
  const path = pathOf(op, params);
  const res = await send(t, op.method.toUpperCase(), path, {
    headers: { ...headers, ...(type && { 'content-type': type }) },
    body: text,
    query: requiredQuery(h.contracts[api], op),
  });
  return { res, path, text };
}

/** A request that must come back within this many milliseconds, or it counts as a hang. */
export const HANG_MS = 10_000;

export interface Sent {
  status: number;
  headers: Headers;
  body: any;
  raw: Buffer;
}

/**
 * Sends a request below the API's base URL with a deadline: an answer later than HANG_MS is a hang (thrown).
 * The path is sent as given (already encoded); the body as given (bytes or text).
 */
export async function send(
  t: ConformanceTarget,
  method: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    body?: string | Buffer;
    query?: Array<[string, string]>;
    timeoutMs?: number;
  } = {},
): Promise<Sent> {
  const deadline = options.timeoutMs ?? HANG_MS;
  let url = t.baseUrl + path;
  if (options.query?.length)
    url += `?${options.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
  const res = await fetch(url, {
    method,
    headers: { 'x-standin-sandbox': t.sandbox, ...options.headers },
    body: options.body === undefined ? undefined : new Uint8Array(Buffer.from(options.body)),
    signal: AbortSignal.timeout(deadline),
  }).catch((error: Error) => {
    throw new Error(
      error.name === 'TimeoutError' ? `no answer within ${deadline} ms (a hang)` : `request failed: ${error.message}`,
    );
  });
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  let body: unknown = raw;
  if (/json/i.test(type) && raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = raw.toString('utf8');
    }
  }
  return { status: res.status, headers: res.headers, body, raw };
}
