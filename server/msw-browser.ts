/**
 * Standin in the page, for MSW's `setupWorker`: the vendors' own URLs answered by the core's pipeline running in
 * the browser, with no server. The core is Node code: serve the page with Vite and standinBrowser()
 * (browser/vite-plugin.ts), which gives it the Node built-ins it imports. Only the plugins given are bundled.
 */
import './browser/shims/globals.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from 'msw';
import { loadContract } from './core/contract/load.ts';
import { apiPipeline, mountApi, type ApiPipeline } from './core/pipeline.ts';
import type { ApiPlugin } from './core/plugin.ts';
import { DEFAULT_SANDBOX, SandboxStore } from './core/sandbox/store.ts';
import { headersOf, vendorHandlers, type BaseUrls } from './msw-routes.ts';

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

/**
 * A request handed to the pipeline as node:http would: the headers, the URL, the body already read (for the
 * express.raw of the browser), and an https socket, the vendors' scheme.
 */
function answerThrough(pipeline: ApiPipeline, request: Request, rest: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Response> {
  return new Promise((resolve) => {
    const replyHeaders = new Headers();
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader: (name: string, value: string | number | readonly string[]) => replyHeaders.set(name, String(value)),
      end(payload?: string | Buffer) {
        res.headersSent = true;
        const empty = request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
        const bytes = typeof payload === 'string' ? payload : payload && new Uint8Array(payload);
        resolve(new Response(empty ? null : (bytes ?? null), { status: res.statusCode, headers: replyHeaders }));
      },
      destroy: () => resolve(Response.error()),
    };
    if (body) headers['content-length'] = String(body.length);
    const req = { method: request.method, url: rest, headers, socket: { encrypted: true }, standinBody: body };
    pipeline.direct(req as unknown as IncomingMessage, res as unknown as ServerResponse, rest);
  });
}

export async function standinWorkerHandlers(options: StandinWorkerOptions): Promise<HttpHandler[]> {
  const apis = options.plugins.map((plugin) => mountApi(plugin, loadContract(plugin.name)));
  const store = await SandboxStore.open({ fixtures: () => Object.fromEntries(apis.map((a) => [a.plugin.name, a.plugin.fixtures()])) });
  const settings = { store, strict: options.strict ?? false, guardReads: false, bodyLimitBytes: 1024 * 1024 };
  const pipelines = new Map(apis.map((api) => [api.plugin.name, apiPipeline(api, settings)]));
  const answer = async (request: Request, path: string, sandbox?: string) => {
    const slash = path.indexOf('/', 1);
    const pipeline = pipelines.get(path.slice(1, slash))!;
    const bytes = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
    return answerThrough(pipeline, request, path.slice(slash), headersOf(request, sandbox), bytes?.length ? bytes : undefined);
  };
  return vendorHandlers(new Map(apis.map((a) => [a.plugin.name, a.contract.document])), options.baseUrls, options.sandbox ?? DEFAULT_SANDBOX, answer);
}
