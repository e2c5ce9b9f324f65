/**
 * Where a conformance suite sends its requests. By default an in-process Standin (strict: any response outside
 * the contract fails); with STANDIN_TARGET=<base url of the API> a running Standin or a real backend, which the
 * suites only reach through its public API.
 */
import type { AddressInfo } from 'node:net';
import { get as httpGet, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, TestRunner, type TestContext } from 'vitest';
import { createStandin } from '../../server/app.ts';
import { loadContract, type Operation } from '../../server/core/contract/load.ts';
import { loadVendorDocument, vendorProblems, type VendorDocument } from '../../server/core/contract/vendor.ts';
import { SANDBOX_HEADER } from '../../server/core/headers.ts';
import { compileContract, type OperationValidators, type Problem } from '../../server/core/validator/compile.ts';
import { checkResponse } from '../../server/core/validator/response.ts';
import { isJsonMediaType, shapeOf, summariseBody, type BodySummary } from '../../server/core/proxy/body-summary.ts';
import { pathStyleOf, styledPath } from '../../server/core/proxy/path-style.ts';
import { adminAuthorization } from './admin-token.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw bytes of the body. */
  raw: Buffer;
}

export interface CallOptions {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | string[]>;
  headers?: Record<string, string>;
  /** A JSON value, sent with the operation's first declared media type unless headers say otherwise. */
  body?: unknown;
  /** Bytes or text sent as is (bad JSON, odd content types). */
  rawBody?: string | Buffer;
}

const contracts = new Map<
  string,
  { operations: Map<string, Operation>; validators: Map<string, OperationValidators> }
>();

function contractOf(api: string) {
  let entry = contracts.get(api);
  if (!entry) {
    const contract = loadContract(api);
    entry = { operations: contract.byId, validators: compileContract(contract) };
    contracts.set(api, entry);
  }
  return entry;
}

/** Fills `{name}` placeholders of a contract path. */
export function expandPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string, at: number) => {
    if (params[name] === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    const value = String(params[name]);
    // A parameter glued to text (rules{rule}) is a path of its own: its slashes stay slashes.
    return at > 0 && path[at - 1] !== '/'
      ? value.split('/').map(encodeURIComponent).join('/')
      : encodeURIComponent(value);
  });
}

/**
 * A vendor document from ../shared/reference/vendor/ (beside the repository), when it is there: suites pass it to
 * conformanceTarget so every 2xx JSON answer is also checked against what the vendor documents.
 */
export function sharedVendorDocument(name: string): string | undefined {
  const file = fileURLToPath(new URL(`../../../shared/reference/vendor/${name}`, import.meta.url));
  return existsSync(file) ? file : undefined;
}

const vendorDocuments = new Map<string, VendorDocument>();

/**
 * One call a suite made through `t.call`: the verify, drift and vendor-drift reports are built from these
 * (written as JSON to $STANDIN_REPORT_DIR, default reports/calls/, when the target closes).
 */
export interface CallRecord {
  operationId: string;
  method: string;
  path: string;
  status: number;
  /** The scenario that made the call. */
  test: string | undefined;
  /** A type skeleton of the body, for comparing shapes across targets. */
  shape: string;
  /** The answer's media type, and for a body that is not JSON, its summary (size, HTML title) instead of the bytes. */
  mediaType: string;
  page?: BodySummary;
  contract: Problem[];
  /** The vendor document's verdict; null when it lacks the operation, absent when not checked. */
  vendor?: Problem[] | null;
}

export { shapeOf };

export interface TargetOptions {
  /** Check every 2xx JSON answer against this vendor document too (default: $STANDIN_VENDOR_SPEC). */
  vendorDocument?: string;
}

export class ConformanceTarget {
  private readonly vendor: VendorDocument | undefined;
  private readonly calls: CallRecord[] = [];

  /** True when the target is not the in-process Standin (a served Standin or a foreign backend). */
  readonly remote: boolean;
  /** True when the target is a Standin (in-process or served): its admin API is reachable. */
  readonly standin: boolean;

  constructor(
    readonly api: string,
    /** Base URL of the API, e.g. http://127.0.0.1:4321/productive */
    readonly baseUrl: string,
    /** Origin of the Standin serving the target (in-process or served), for its admin API. */
    private readonly adminOrigin: string | undefined,
    /** Every request of this target carries it, so parallel suites never share state. */
    readonly sandbox: string,
    private readonly server?: Server,
    options: TargetOptions = {},
  ) {
    this.remote = server === undefined;
    this.standin = adminOrigin !== undefined;
    const file = options.vendorDocument ?? process.env.STANDIN_VENDOR_SPEC;
    if (file) {
      if (!vendorDocuments.has(file)) vendorDocuments.set(file, loadVendorDocument(file));
      this.vendor = vendorDocuments.get(file);
    }
  }

  /** The vendor document's verdict on a 2xx JSON answer (undefined when not checked, null when it lacks the operation). */
  private vendorCheck(method: string, path: string, response: ApiResponse): Problem[] | null | undefined {
    if (!this.vendor || response.status >= 300 || !/json/i.test(response.headers.get('content-type') ?? ''))
      return undefined;
    return vendorProblems(this.vendor, method, path, response.status, response.body) ?? null;
  }

  operation(operationId: string): Operation {
    const op = contractOf(this.api).operations.get(operationId);
    if (!op) throw new Error(`${this.api} has no operation ${operationId}`);
    return op;
  }

  /** What the contract says is wrong with a response to this operation (empty when it conforms). */
  contractProblems(operationId: string, response: ApiResponse): Problem[] {
    const op = this.operation(operationId);
    const validators = contractOf(this.api).validators.get(operationId)!;
    const contentType = response.headers.get('content-type') ?? undefined;
    const body = response.raw.length
      ? contentType && /json/i.test(contentType)
        ? response.body
        : response.raw
      : undefined;
    return checkResponse(op, validators, { status: response.status, body, contentType }, 'application/json');
  }

  /**
   * Calls an operation by its operationId (the path comes from the contract) and checks the answer against it;
   * a violation fails the scenario without stopping it.
   */
  async call<T = any>(operationId: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const op = this.operation(operationId);
    const path = expandPath(op.path, options.params);
    const response = await this.send<T>(op.method.toUpperCase(), path, options, op);
    return this.check(operationId, path, response);
  }

  /**
   * Checks an answer to an operation against the contract (and the vendor's document) and records the call for
   * the verify report; a violation fails the scenario without stopping it.
   */
  check<T>(operationId: string, path: string, response: ApiResponse<T>): ApiResponse<T> {
    const op = this.operation(operationId);
    const summary = summariseBody(response.raw, response.headers.get('content-type'));
    const record: CallRecord = {
      operationId,
      method: op.method.toUpperCase(),
      path,
      status: response.status,
      // Outside a test (a beforeAll) expect's state still names the last test run, perhaps another file's.
      test: TestRunner.getCurrentTest() ? expect.getState().currentTestName : undefined,
      shape: shapeOf(response.body),
      mediaType: summary.mediaType,
      contract: this.contractProblems(operationId, response),
    };
    if (response.raw.length && !isJsonMediaType(summary.mediaType)) record.page = summary;
    const vendor = this.vendorCheck(op.method, path, response);
    if (vendor !== undefined) record.vendor = vendor;
    this.calls.push(record);
    // Soft inside a scenario: it goes on, so one run reports every violation it can reach, not only the first.
    const check = record.test === undefined ? expect : expect.soft;
    check(record.contract, `${operationId} → ${response.status} must match the contract`).toEqual([]);
    if (vendor) check(vendor, `${operationId} → ${response.status} must match the vendor's document`).toEqual([]);
    return response;
  }

  /** Sends any request below the API's base URL, unchecked. */
  async send<T = any>(
    method: string,
    path: string,
    options: CallOptions = {},
    op?: Operation,
  ): Promise<ApiResponse<T>> {
    const url = new URL(this.baseUrl + styledPath(path, pathStyle));
    for (const [key, value] of Object.entries(options.query ?? {}))
      for (const v of [value].flat()) url.searchParams.append(key, String(v));
    const headers: Record<string, string> = { [SANDBOX_HEADER]: this.sandbox, ...options.headers };
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      const declared = Object.keys(op?.requestBody?.content ?? {})[0] ?? 'application/json';
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = declared;
    }
    // A Blob, unlike a typed array (which fetch detaches on sending), can be sent again when a 307/308 is followed.
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : new Blob([new Uint8Array(Buffer.from(body))]),
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    let parsed: unknown = raw;
    if (/json/i.test(type) && raw.length) parsed = JSON.parse(raw.toString('utf8'));
    return { status: res.status, headers: res.headers, body: parsed as T, raw };
  }

  /** The admin API of the Standin serving the target, for this target's sandbox; suites skip what needs it on a foreign backend. */
  async admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.adminOrigin) throw new Error('the admin API needs a Standin target (see needsStandin)');
    const res = await fetch(`${this.adminOrigin}/__standin/sandboxes/${this.sandbox}${path}`, {
      method,
      headers: { ...adminAuthorization(), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  async close(): Promise<void> {
    const dir = process.env.STANDIN_REPORT_DIR ?? fileURLToPath(new URL('../../reports/calls/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.api}-${this.sandbox}.json`), JSON.stringify(this.calls, null, 1));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Waits for an answer and expects its status (a scenario's step where only the status matters); the answer. */
export async function expectStatus<T>(status: number, answer: Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  const res = await answer;
  expect(res.status).toBe(status);
  return res;
}

/** STANDIN_PATH_STYLE=slashless sends every path without its trailing slash (djaodjin-saas 1.2.2). */
const pathStyle = pathStyleOf(process.env.STANDIN_PATH_STYLE, 'STANDIN_PATH_STYLE');

/**
 * What the suites run against: the in-process mock (no STANDIN_TARGET), a served Standin (STANDIN_TARGET answers
 * `GET <origin>/__standin/health`: its admin API sets fixtures, clock and faults up, remotely), or a foreign backend,
 * reached only through its public API.
 */
export type TargetKind = 'in-process' | 'standin' | 'foreign';

/** GET a URL on a connection of its own, closed after the answer: nothing is left idle in fetch's pool. */
function getOnce(url: URL): Promise<{ status: number; contentType: string; body: string }> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 3 s`))).on('error', reject);
  });
}

/**
 * The origin of the served Standin behind a base URL, or undefined when that origin is no Standin. The probe
 * runs while the suite loads: a keep-alive socket from it, idle while the contracts compile (the event loop busy
 * for seconds), would be closed by the server unnoticed and fail the first scenario's request with "other side
 * closed".
 */
export async function standinOriginOf(baseUrl: string): Promise<string | undefined> {
  const origin = new URL(baseUrl).origin;
  try {
    const res = await getOnce(new URL(`${origin}/__standin/health`));
    if (res.status !== 200 || !/json/i.test(res.contentType)) return undefined;
    return (JSON.parse(res.body) as { status?: string }).status === undefined ? undefined : origin;
  } catch {
    return undefined;
  }
}

const remoteTarget = process.env.STANDIN_TARGET?.replace(/\/$/, '');
const remoteStandinOrigin = remoteTarget ? await standinOriginOf(remoteTarget) : undefined;

export const targetKind: TargetKind = !remoteTarget ? 'in-process' : remoteStandinOrigin ? 'standin' : 'foreign';

/** True when the target is a Standin, in-process or served: its fixtures, clock and admin API can be used. */
export const targetIsStandin = targetKind !== 'foreign';

/**
 * Skips the running scenario on a foreign backend, with the reason in the report. For what needs Standin itself
 * (its fixture records with their ids, its clock, its admin API, its outbox): `beforeEach((ctx) => needsStandin(ctx,
 * 'the seed\'s coupon LABORDAY with its fixture dates'))` in a describe, or as a scenario's first line.
 */
export function needsStandin(ctx: Pick<TestContext, 'skip'>, why: string): void {
  ctx.skip(!targetIsStandin, `needs a Standin target: ${why}`);
}

/**
 * A hook of a describe whose scenarios need Standin (see needsStandin): it runs on a Standin only. vitest runs a
 * describe's beforeAll even when every scenario will skip; on a foreign target the hook would fail (no admin API,
 * no fixtures) and its scenarios would be reported skipped without their reason.
 */
export function onStandin(hook: () => unknown): () => Promise<void> {
  return async () => {
    if (targetIsStandin) await hook();
  };
}

/** STANDIN_PERMANENT_RECORDS=allowed (a target profile's `permanentRecords: true`, passed on by verify). */
const permanentRecordsAllowed = process.env.STANDIN_PERMANENT_RECORDS === 'allowed';

/**
 * Skips the running scenario on a foreign backend that must be left as found, with the reason in the report, when
 * it creates a record the backend may not let the API delete (djaodjin-signup 0.5.4 cannot delete a contact
 * without login). It runs on a Standin, and on a foreign target whose profile says `permanentRecords: true`.
 */
export function leavesRecords(ctx: Pick<TestContext, 'skip'>, what: string): void {
  ctx.skip(
    !targetIsStandin && !permanentRecordsAllowed,
    `leaves a record the target may not delete: ${what} (a profile's permanentRecords: true allows it)`,
  );
}

/**
 * The target for one suite file: STANDIN_TARGET (+ credentials from the environment) or a fresh in-process
 * Standin on a free loopback port. Each call gets its own sandbox.
 */
export async function conformanceTarget(api: string, options: TargetOptions = {}): Promise<ConformanceTarget> {
  const sandbox = `suite-${api}-${randomUUID().slice(0, 8)}`;
  if (remoteTarget) return new ConformanceTarget(api, remoteTarget, remoteStandinOrigin, sandbox, undefined, options);
  const standin = await createStandin({ apis: [api], strict: true });
  const server = await new Promise<Server>((resolve) => {
    const s = standin.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return new ConformanceTarget(api, `${origin}/${api}`, origin, sandbox, server, options);
}

/** A suite file's target, made as the file loads and closed after the file's last scenario. */
export function closedAfterFile<Made extends { target: ConformanceTarget }>(made: Made): Made {
  afterAll(() => made.target.close());
  return made;
}

/** A tenant's request headers, and a second tenant's, who must see nothing of the first's records. */
export interface TwoTenants {
  headers: Record<string, string>;
  otherHeaders: Record<string, string>;
}

/** A credential from the environment, or the fixture's when the target is the in-process mock. */
export function credential(name: string, fixtureValue: string): string {
  const value = process.env[name];
  if (value) return value;
  if (
    process.env.STANDIN_TARGET &&
    !process.env.STANDIN_TARGET.includes('127.0.0.1') &&
    !process.env.STANDIN_TARGET.includes('localhost')
  )
    throw new Error(`${name} must be set to run the suites against ${process.env.STANDIN_TARGET}`);
  return fixtureValue;
}
