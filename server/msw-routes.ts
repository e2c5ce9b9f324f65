/**
 * The MSW handlers of Standin's APIs, shared by setupServer (msw.ts) and setupWorker (msw-browser.ts): one
 * `http.all` per vendor base URL, handing the request to `answer` with its path in Standin's URL space.
 */
import { parse as parseQuery } from 'node:querystring';
import { http, type HttpHandler } from 'msw';
import type { OpenAPIV3_1 } from 'openapi-types';
import { SANDBOX_HEADER } from './core/headers.ts';
import { isSandboxId } from './core/sandbox/store.ts';

/** Where a vendor URL leads: `https://api.togai.com/accounts/ACC00001?x=1` is togai's `/accounts/ACC00001?x=1`. */
export interface Target {
  api: string;
  /** The URL after the base URL: path and query. */
  rest: string;
  /** The base URL it was sent to, e.g. `https://api.togai.com`, without a trailing slash. */
  baseUrl: string;
}

/** Answers a request for a target, in `sandbox` unless the request names one. */
export type Answer = (request: Request, target: Target, sandbox?: string) => Promise<Response>;

/** Base URLs per API, replacing the contract's own (DjaoApp's is the app's origin, e.g. `https://shop.example.com`). */
export type BaseUrls = Partial<Record<string, string | string[]>>;

/** The vendor base URLs of an API: its contract's servers, less Standin's own (`http://127.0.0.1:4010/<api>`). */
export function vendorBaseUrls(api: string, contract: OpenAPIV3_1.Document): string[] {
  return (contract.servers ?? []).map((s) => s.url).filter((url) => !new URL(url).pathname.startsWith(`/${api}`));
}

function baseUrlsOf(api: string, contract: OpenAPIV3_1.Document, given: BaseUrls | undefined): string[] {
  const configured = given?.[api];
  const urls = configured === undefined ? vendorBaseUrls(api, contract) : [configured].flat();
  return urls.map((url) => url.replace(/\/+$/, ''));
}

function assertSandboxName(sandbox: string): void {
  if (!isSandboxId(sandbox)) throw new Error(`sandbox name "${sandbox}" must be 1-64 letters, digits, ".", "_" or "-"`);
}

/** The request's headers, with the sandbox header added when it names none. */
export function headersOf(request: Request, sandbox: string | undefined): Record<string, string> {
  const headers: Record<string, string> = sandbox ? { [SANDBOX_HEADER]: sandbox } : {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

/** `contracts` maps each API to answer to its contract's document. */
export function vendorHandlers(
  contracts: Map<string, OpenAPIV3_1.Document>,
  baseUrls: BaseUrls | undefined,
  sandbox: string,
  answer: Answer,
): HttpHandler[] {
  assertSandboxName(sandbox);
  return [...contracts].flatMap(([api, contract]) =>
    baseUrlsOf(api, contract, baseUrls).map((baseUrl) => {
      const prefix = new URL(baseUrl).pathname.replace(/\/$/, '');
      return http.all(`${baseUrl}/*`, ({ request }) => {
        const url = new URL(request.url);
        return answer(request, { api, rest: `${url.pathname.slice(prefix.length)}${url.search}`, baseUrl }, sandbox);
      });
    }),
  );
}

/**
 * What express would set on a request for the target had it mounted the API's pipeline at the vendor's base URL
 * rather than at /<api>: the links the API writes (`links.next`) are then the vendor's own URLs.
 */
export function mountedAt(target: Target) {
  const base = new URL(target.baseUrl);
  const baseUrl = base.pathname.replace(/\/$/, '');
  const q = target.rest.indexOf('?');
  return {
    baseUrl,
    path: q < 0 ? target.rest : target.rest.slice(0, q),
    query: parseQuery(q < 0 ? '' : target.rest.slice(q + 1)),
    originalUrl: `${baseUrl}${target.rest}`,
    host: base.host,
    encrypted: base.protocol === 'https:',
  };
}
