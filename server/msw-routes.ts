/**
 * The MSW handlers of Standin's APIs, shared by setupServer (msw.ts) and setupWorker (msw-browser.ts): one
 * `http.all` per vendor base URL, handing the request to `answer` with its path in Standin's URL space.
 */
import { http, type HttpHandler } from 'msw';
import type { OpenAPIV3_1 } from 'openapi-types';
import { SANDBOX_HEADER } from './core/pipeline.ts';
import { isSandboxId } from './core/sandbox/store.ts';

/** Answers a request for `path` (`/togai/accounts/…`), in `sandbox` unless the request names one. */
export type Answer = (request: Request, path: string, sandbox?: string) => Promise<Response>;

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

export function assertSandboxName(sandbox: string): void {
  if (!isSandboxId(sandbox)) throw new Error(`sandbox name "${sandbox}" must be 1-64 letters, digits, ".", "_" or "-"`);
}

/** The request's headers, with the sandbox header added when it names none. */
export function headersOf(request: Request, sandbox: string | undefined): Record<string, string> {
  const headers: Record<string, string> = sandbox ? { [SANDBOX_HEADER]: sandbox } : {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return headers;
}

/** `contracts` maps each API to answer to its contract's document. */
export function vendorHandlers(contracts: Map<string, OpenAPIV3_1.Document>, baseUrls: BaseUrls | undefined, sandbox: string, answer: Answer): HttpHandler[] {
  assertSandboxName(sandbox);
  return [...contracts].flatMap(([api, contract]) =>
    baseUrlsOf(api, contract, baseUrls).map((baseUrl) => {
      const prefix = new URL(baseUrl).pathname.replace(/\/$/, '');
      return http.all(`${baseUrl}/*`, ({ request }) => {
        const url = new URL(request.url);
        return answer(request, `/${api}${url.pathname.slice(prefix.length)}${url.search}`, sandbox);
      });
    }),
  );
}
