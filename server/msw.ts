/**
 * Standin inside MSW (`import { standinHandlers } from 'standin/msw'`): handlers for `setupServer` that answer the
 * vendors' own URLs (https://api.togai.com/accounts/…) from a Standin in this process, with no port and no server.
 * Each request goes through its API's pipeline as a served one does (light-my-request stands in for the socket), so
 * the state, validation and errors are the server's own; the admin API (reset) through the app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import inject from 'light-my-request';
import type { HttpHandler } from 'msw';
import { availableApis, createStandin, type Standin } from './app.ts';
import type { ApiPipeline } from './core/pipeline/index.ts';
import { contractFile, parseContractFile } from './core/contract/load.ts';
import { DEFAULT_SANDBOX } from './core/sandbox/store.ts';
import { headersOf, mountedAt, vendorBaseUrls, vendorHandlers, type Target } from './msw-routes.ts';

/** The base URLs an API answers on unless told others: its contract's servers less Standin's own. */
export const defaultBaseUrls = (api: string): string[] => vendorBaseUrls(api, parseContractFile(contractFile(api)));

export interface StandinMockOptions {
  /** The APIs to answer (default: all of them): `productive`, `djaoapp`, `togai`, `toggl`. */
  apis?: string[];
  /**
   * The base URLs each API answers on, replacing the contract's own (its `servers` other than Standin's):
   * DjaoApp's is the app's own origin, e.g. `{ djaoapp: 'https://shop.example.com' }`.
   */
  baseUrls?: Partial<Record<string, string | string[]>>;
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

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** A Fetch Request answered by a request listener, as if it had come over a socket. */
async function answer(
  listener: Listener,
  request: Request,
  url: string,
  headers: Record<string, string>,
): Promise<Response> {
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
  const res = await inject(listener, {
    method: request.method as 'GET',
    url,
    headers,
    ...(body?.length && { payload: body }),
  });
  const replyHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const one of [value ?? []].flat()) replyHeaders.append(name, String(one));
  }
  const empty = request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
  return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: replyHeaders });
}

/** The API's pipeline as express would call it, mounted at the vendor's base URL (msw-routes.ts mountedAt). */
function mountedAtVendor(pipeline: ApiPipeline, target: Target): Listener {
  const { host: _host, encrypted, ...located } = mountedAt(target);
  return (req, res) => {
    Object.assign(req, located);
    (req.socket as { encrypted?: boolean }).encrypted = encrypted;
    pipeline.mounted(req as ExpressRequest, res as ExpressResponse, () => undefined);
  };
}

export function standinMock(options: StandinMockOptions = {}): StandinMock {
  const apis = options.apis ?? availableApis();
  const contracts = new Map(apis.map((api) => [api, parseContractFile(contractFile(api))]));
  let started: Promise<Standin> | undefined;
  const standin = () => (started ??= createStandin({ apis, strict: options.strict }));
  const fetch = async (request: Request, path: string, sandbox?: string) =>
    answer((await standin()).app, request, path, headersOf(request, sandbox));
  const toVendor = async (request: Request, target: Target, sandbox?: string) => {
    const pipeline = (await standin()).pipelines.get(target.api)!;
    const host = new URL(target.baseUrl).host;
    return answer(mountedAtVendor(pipeline, target), request, target.rest, { ...headersOf(request, sandbox), host });
  };

  return {
    handlers: ({ sandbox = DEFAULT_SANDBOX } = {}) => vendorHandlers(contracts, options.baseUrls, sandbox, toVendor),
    fetch,
    // Through the admin API, as a served Standin is reset (its fault rules go too).
    async reset(sandbox = DEFAULT_SANDBOX) {
      const request = new Request('http://localhost/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      });
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
