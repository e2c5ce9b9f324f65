/**
 * Standin in the page, for MSW's `setupWorker`: the vendors' own URLs answered by the core's pipeline running in
 * the browser, with no server. The core is Node code: serve the page with Vite and standinBrowser()
 * (browser/vite-plugin.ts), which gives it the Node built-ins it imports. Only the plugins given are bundled.
 */
import './browser/shims/globals.ts';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type { HttpHandler } from 'msw';
import { loadContract } from './core/contract/load.ts';
import { apiPipeline, mountApi, type ApiPipeline } from './core/pipeline/index.ts';
import type { ApiPlugin } from './core/plugin.ts';
import { DEFAULT_SANDBOX, SandboxStore } from './core/sandbox/store.ts';
import { headersOf, mountedAt, vendorHandlers, type BaseUrls, type Target } from './msw-routes.ts';

export interface StandinWorkerOptions {
  /** The APIs to answer, e.g. `[productive]` from `server/apis/productive/index.ts`. */
  plugins: ApiPlugin[];
  /** Base URLs per API, replacing the contract's own (DjaoApp's is the app's origin). */
  baseUrls?: BaseUrls;
  /** The sandbox of requests that name none in `x-standin-sandbox` (default: `default`). */
  sandbox?: string;
  /** Answer 500 when a response breaks the contract (a Standin bug); off by default. */
  strict?: boolean;
}

/** A request handed to the pipeline as express would, mounted at the vendor's base URL; its body already read (for the express.raw of the browser). */
function answerThrough(
  pipeline: ApiPipeline,
  request: Request,
  target: Target,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<Response> {
  return new Promise((resolve) => {
    const replyHeaders = new Headers();
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: (name: string, value: string | number | readonly string[]) => replyHeaders.set(name, String(value)),
      getHeaders: () => Object.fromEntries(replyHeaders),
      getHeaderNames: () => [...replyHeaders.keys()],
      /** As node's, with the headers listed name, value, …: each replaces one set before. */
      writeHead(status: number, headers: readonly string[]) {
        res.statusCode = status;
        for (let i = 0; i < headers.length; i += 2) replyHeaders.delete(headers[i]!);
        for (let i = 0; i < headers.length; i += 2) replyHeaders.append(headers[i]!, headers[i + 1]!);
      },
      end(payload?: string | Buffer) {
        res.headersSent = true;
        const empty = request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
        const bytes = typeof payload === 'string' ? payload : payload && new Uint8Array(payload);
        resolve(new Response(empty ? null : (bytes ?? null), { status: res.statusCode, headers: replyHeaders }));
      },
      destroy: () => resolve(Response.error()),
    };
    const { host, encrypted, ...located } = mountedAt(target);
    headers.host = host;
    if (body) headers['content-length'] = String(body.length);
    const req = {
      method: request.method,
      url: target.rest,
      ...located,
      headers,
      rawHeaders: Object.entries(headers).flat(),
      socket: { encrypted },
      standinBody: body,
    };
    pipeline.mounted(req as unknown as ExpressRequest, res as unknown as ExpressResponse, () =>
      resolve(Response.error()),
    );
  });
}

export async function standinWorkerHandlers(options: StandinWorkerOptions): Promise<HttpHandler[]> {
  const apis = options.plugins.map((plugin) => mountApi(plugin, loadContract(plugin.name)));
  const store = await SandboxStore.open({
    fixtures: () => Object.fromEntries(apis.map((a) => [a.plugin.name, a.plugin.fixtures()])),
    shareFixtures: true,
  });
  const settings = { store, strict: options.strict ?? false, guardReads: false, bodyLimitBytes: 1024 * 1024 };
  const pipelines = new Map(apis.map((api) => [api.plugin.name, apiPipeline(api, settings)]));
  const answer = async (request: Request, target: Target, sandbox?: string) => {
    const bytes =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
    return answerThrough(
      pipelines.get(target.api)!,
      request,
      target,
      headersOf(request, sandbox),
      bytes?.length ? bytes : undefined,
    );
  };
  return vendorHandlers(
    new Map(apis.map((a) => [a.plugin.name, a.contract.document])),
    options.baseUrls,
    options.sandbox ?? DEFAULT_SANDBOX,
    answer,
  );
}
