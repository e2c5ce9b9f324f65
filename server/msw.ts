/**
 * Standin inside MSW (`import { standinHandlers } from 'standin/msw'`): handlers for `setupServer` that answer the
 * vendors' own URLs (https://api.togai.com/accounts/…) from a Standin in this process, with no port and no server.
 * Each request goes through the express app as a served one does (light-my-request stands in for the socket), so
 * the state, validation and errors are the server's own.
 */
import inject from 'light-my-request';
import type { HttpHandler } from 'msw';
import { availableApis, createStandin, type Standin } from './app.ts';
import { contractFile, parseContractFile } from './core/contract/load.ts';
import { DEFAULT_SANDBOX } from './core/sandbox/store.ts';
import { headersOf, vendorBaseUrls, vendorHandlers, type BaseUrls } from './msw-routes.ts';

/** The base URLs an API answers on unless told others: its contract's servers less Standin's own. */
export const defaultBaseUrls = (api: string): string[] => vendorBaseUrls(api, parseContractFile(contractFile(api)));

export interface StandinMockOptions {
  /** The APIs to answer (default: all of them): `productive`, `djaoapp`, `togai`, `toggl`. */
  apis?: string[];
  /**
   * The base URLs each API answers on, replacing the contract's own (its `servers` other than Standin's):
   * DjaoApp's is the app's own origin, e.g. `{ djaoapp: 'https://shop.example.com' }`.
   */
  baseUrls?: BaseUrls;
  /** Answer 500 when a response breaks the contract (a Standin bug). Default: on under test. */
  strict?: boolean;
}

export interface HandlersOptions {
  /** The sandbox of requests that name none in `x-standin-sandbox` (default: `default`). */
  sandbox?: string;
}

export interface StandinMock {
  /** Handlers for `setupServer(...)` or `server.use(...)`, answering from this mock's state. */
  handlers(options?: HandlersOptions): HttpHandler[];
  /** Answers a request for Standin's own URL space (`/togai/accounts/…`, `/__standin/…`) in process. */
  fetch(request: Request, path: string, sandbox?: string): Promise<Response>;
  /** Puts a sandbox back to its fixtures (default: `default`). */
  reset(sandbox?: string): Promise<void>;
  /** Flushes and closes the store. */
  close(): Promise<void>;
}

/** A Fetch Request answered by the express app, as if it had come over a socket. */
async function answer(standin: Standin, request: Request, path: string, sandbox?: string): Promise<Response> {
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
  const headers = headersOf(request, sandbox);
  const res = await inject(standin.app, { method: request.method as 'GET', url: path, headers, ...(body?.length && { payload: body }) });
  const replyHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const one of [value ?? []].flat()) replyHeaders.append(name, String(one));
  }
  const empty = request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
  return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: replyHeaders });
}

export function standinMock(options: StandinMockOptions = {}): StandinMock {
  const apis = options.apis ?? availableApis();
  const contracts = new Map(apis.map((api) => [api, parseContractFile(contractFile(api))]));
  let started: Promise<Standin> | undefined;
  const standin = () => (started ??= createStandin({ apis, strict: options.strict }));
  const fetch = async (request: Request, path: string, sandbox?: string) => answer(await standin(), request, path, sandbox);

  return {
    handlers: ({ sandbox = DEFAULT_SANDBOX } = {}) => vendorHandlers(contracts, options.baseUrls, sandbox, fetch),
    fetch,
    // Through the admin API, as a served Standin is reset (its fault rules go too).
    async reset(sandbox = DEFAULT_SANDBOX) {
      const request = new Request('http://localhost/', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
      const res = await fetch(request, `/__standin/sandboxes/${encodeURIComponent(sandbox)}/reset`);
      if (!res.ok) throw new Error(`reset of sandbox ${sandbox} answered ${res.status}: ${await res.text()}`);
    },
    async close() {
      if (started) await (await started).close();
    },
  };
}

/** Handlers answering every API's vendor URLs from one new in-process Standin (`setupServer(...standinHandlers())`). */
export function standinHandlers(options: StandinMockOptions & HandlersOptions = {}): HttpHandler[] {
  return standinMock(options).handlers(options);
}
