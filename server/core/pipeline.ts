import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express, { type Request, type Response } from 'express';
import type { Contract, Operation } from './contract/load.ts';
import { injectFault, type FaultStore, type InjectedFault } from './faults.ts';
import { ApiError, type ApiPlugin, type Reply, type RequestInfo } from './plugin.ts';
import { Router } from './router/match.ts';
import { matchTrailingSlash } from './router/trailing-slash.ts';
import { DEFAULT_SANDBOX, isSandboxId, type Sandbox, type SandboxStore } from './sandbox/store.ts';
import { journalBody, journalJson } from './sandbox/journal.ts';
import { beginTransaction, type Transaction } from './sandbox/transaction.ts';
import { compileContract, compileResponseValidators, type OperationValidators, type Problem } from './validator/compile.ts';
import { capProblems } from './validator/problems.ts';
import { validateRequest } from './validator/request.ts';
import { checkResponse } from './validator/response.ts';

export const SANDBOX_HEADER = 'x-standin-sandbox';
/** On a refused request whose problems were capped (validator/problems.ts): how many the answer does not list. */
export const OMITTED_PROBLEMS_HEADER = 'X-Standin-Problems-Omitted';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const READS = new Set(['GET', 'HEAD']);

/** Whether a request may write to the state: every method but GET and HEAD, and the plugin's writing reads. */
function mayWrite(plugin: ApiPlugin, method: string, operationId: string): boolean {
  return !READS.has(method) || plugin.writingReads === 'all' || (plugin.writingReads?.includes(operationId) ?? false);
}

export interface MountedApi {
  plugin: ApiPlugin;
  contract: Contract;
  validators: Map<string, OperationValidators>;
  router: Router<Operation>;
}

/** Response validators are compiled by apiPipeline when the self-check is on (strict), not at all otherwise. */
export function mountApi(plugin: ApiPlugin, contract: Contract): MountedApi {
  return { plugin, contract, validators: compileContract(contract), router: new Router(contract.operations) };
}

export interface PipelineOptions {
  store: SandboxStore;
  /** Answer 500 when a response breaks the contract (always on under test). */
  strict: boolean;
  bodyLimitBytes: number;
  /** Fault rules per sandbox (step 2); none injected when absent. */
  faults?: FaultStore;
  /** Called before each write a request makes to its state; a throw there fails the request (tests use it). */
  beforeWrite?: () => void;
  /**
   * Run every read in a transaction and answer 500 when one not listed in the plugin's writingReads writes: how
   * the tests keep those lists true (on under test; it costs a read twice its CPU, so --strict alone leaves it off).
   */
  guardReads: boolean;
}

/**
 * The requests of a sandbox that may write run from authentication to their answer one at a time: a handler that
 * awaits (signing a token) must neither see another request's writes half-done nor undo them with its own. Reads
 * wait for the request that holds the turn.
 */
function takeTurn(sandbox: Sandbox): () => void {
  let release!: () => void;
  sandbox.turn = new Promise<void>((resolve) => (release = resolve));
  return () => {
    sandbox.turn = undefined;
    release();
  };
}

/** A request with a body, as body-parser (type-is) tells it. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10));
}

/** Where a request is, as express's req.path, req.baseUrl and req.query give it for a pipeline mounted at /<api>. */
interface Located {
  /** Below the mount point, without the query, e.g. `/api/v2/prices/1`. */
  path: string;
  /** The mount point as the client wrote it, e.g. `/productive`. */
  baseUrl: string;
  query: RequestInfo['rawQuery'];
  /** The whole URL, for the journal. */
  url: string;
}

export interface ApiPipeline {
  /** Mounted by express at /<api>: what the direct path leaves to express (CORS, replays, unusual URLs). */
  mounted: express.RequestHandler;
  /**
   * A request for /<api>/… straight from node:http, as express would have given it to `mounted`: `rest` is the
   * URL after /<api>. Express's own per-request work (prototypes, its router, CORS for requests without Origin)
   * cost a GET more CPU than the pipeline itself.
   */
  direct(req: IncomingMessage, res: ServerResponse, rest: string): void;
}

/**
 * The request pipeline of one API: sandbox → route → auth → validation → handler → self-check → journal.
 * The body is read only for requests with a body.
 */
export function apiPipeline(api: MountedApi, options: PipelineOptions): ApiPipeline {
  const { plugin } = api;
  const readBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });
  // Under test and --strict every response is checked: compile the checks now, so a bad schema fails the start.
  if (options.strict) compileResponseValidators(api.validators);

  const handle = async (req: IncomingMessage, res: ServerResponse, at: Located, rawBody: Buffer | undefined): Promise<void> => {
    const started = performance.now();
    const request: RequestInfo = {
      method: req.method!,
      path: at.path,
      get baseUrl() {
        return `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host}${at.baseUrl}`;
      },
      rawQuery: at.query,
      headers: req.headers,
    };
    let sandbox: Sandbox | undefined;
    let operation: Operation | undefined;
    let requestProblems: Problem[] = [];
    let omittedProblems = 0;
    let fault: InjectedFault | undefined;
    let unsavedRefusal = false;
    let reply: Reply;
    let transaction: Transaction<object> | undefined;
    let endTurn: (() => void) | undefined;
    // The request failed: whatever it wrote is undone.
    let failed = false;
    try {
      const sandboxId = (req.headers[SANDBOX_HEADER] as string | undefined) ?? DEFAULT_SANDBOX;
      if (!isSandboxId(sandboxId)) {
        throw plugin.errors.invalidRequest(
          [{ in: 'header', pointer: `/${SANDBOX_HEADER}`, keyword: 'pattern', message: 'must be 1-64 letters, digits, ".", "_" or "-"' }]
        );
      }
      sandbox = options.store.peek(sandboxId);
      if (sandbox) sandbox.lastUsed = Date.now();
      else sandbox = await options.store.get(sandboxId);
      const match = plugin.trailingSlash
        ? matchTrailingSlash(api.router, request.method, at.path, plugin.trailingSlash)
        : api.router.match(request.method, at.path);
      if (match.kind === 'redirect') {
        const query = at.url.indexOf('?');
        const status = request.method === 'GET' || request.method === 'HEAD' ? 301 : 308;
        throw new ApiError(status, undefined, { Location: `${at.baseUrl}${match.location}${query < 0 ? '' : at.url.slice(query)}` });
      }
      if (match.kind !== 'operation')
        throw plugin.errors.notFound(request.method, at.path, match.kind === 'method-not-allowed' ? match.allowed : undefined);
      operation = match.operation;
      fault = await injectFault(options.faults, plugin, sandboxId, operation.operationId, req);
      if (fault?.error) throw fault.error;
      if (sandbox.unsaved && !SAFE_METHODS.has(request.method)) {
        unsavedRefusal = true;
        throw unsavedError(plugin, sandbox);
      }
      // Checked again right after each wake-up, with no await before the turn is taken: of the requests woken by
      // one turn's end, the first takes the next turn and the others wait for it.
      while (sandbox.turn) await sandbox.turn;
      const writing = mayWrite(plugin, request.method, operation.operationId);
      if (writing || options.guardReads) {
        endTurn = takeTurn(sandbox);
        transaction = beginTransaction(sandbox.state.apis[plugin.name] as object, { beforeWrite: options.beforeWrite });
      }
      const state = transaction?.state ?? sandbox.state.apis[plugin.name];
      const active = sandbox;
      const now = () => active.now();
      const principal = await plugin.authenticate({ operation, request, state, now, sandboxId });
      const validated = validateRequest(operation, api.validators.get(operation.operationId)!, {
        rawParams: match.rawParams,
        query: at.query,
        headers: req.headers,
        contentType: req.headers['content-type'],
        rawBody,
      });
      requestProblems = validated.problems;
      omittedProblems = validated.omittedProblems;
      if (requestProblems.length) {
        const refusal = plugin.errors.invalidRequest(requestProblems, operation);
        if (omittedProblems) refusal.headers[OMITTED_PROBLEMS_HEADER] = String(omittedProblems);
        throw refusal;
      }
      const handler = plugin.handlers[operation.operationId];
      if (!handler) throw new Error(`No handler for ${plugin.name}.${operation.operationId}`);
      reply = await handler({
        operation,
        request,
        params: validated.params,
        query: validated.query,
        headers: validated.headers,
        body: validated.body,
        state,
        principal,
        now,
        sandboxId,
        changed: () => active.changed(),
      });
      if (!writing && transaction?.writes)
        throw new Error(`${request.method} ${operation.operationId} wrote to the state: list it in the plugin's writingReads`);
      if (transaction) reply.body = transaction.plain(reply.body);
    } catch (error) {
      failed = true;
      reply = replyForError(error, plugin);
    }

    // The self-check (design: always on under test, --strict at run time). Without --strict nothing would act
    // on its findings, and it costs about as much as the rest of a GET's own work. An internal error is a bug
    // already reported, in the vendor's format whether or not the contract documents a 500 there.
    let responseCheck: ReturnType<typeof capProblems> = { problems: [], omitted: 0 };
    try {
      if (operation && options.strict && !fault?.error && !unsavedRefusal && !internalErrors.has(reply))
        responseCheck = capProblems(checkResponse(operation, api.validators.get(operation.operationId)!, reply, plugin.contentType));
      const responseProblems = responseCheck.problems;
      if (responseProblems.length) {
        console.error(`standin: ${plugin.name}.${operation!.operationId} answered outside its contract`, responseProblems);
        failed = true;
        reply = {
          status: 500,
          contentType: 'application/json; charset=utf-8',
          body: { standin: 'The mock answered outside its contract: this is a bug in Standin.', operation: operation!.operationId, answered: reply.status, problems: responseProblems },
        };
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (transaction) {
        try {
          const written = failed ? transaction.rollback() : transaction.commit();
          if (written && !failed) sandbox!.changed();
        } finally {
          endTurn!();
        }
      }
    }
    const sent = send(res, reply, plugin.contentType);
    sandbox?.journal.add({
      at: sandbox.now().toISOString(),
      api: plugin.name,
      operationId: operation?.operationId ?? null,
      method: request.method,
      path: at.url,
      status: fault?.marker.reset ? 0 : reply.status,
      ...(fault && { fault: fault.marker }),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      validation: {
        request: requestProblems,
        response: responseCheck.problems,
        ...((omittedProblems || responseCheck.omitted) && { omitted: { request: omittedProblems, response: responseCheck.omitted } }),
      },
      requestBody: rawBody ? journalBody(rawBody.toString('utf8')) : undefined,
      // The text just sent, not a second serialisation of the body.
      responseBody: typeof sent === 'string' ? journalJson(sent) : journalBody(reply.body),
    });
  };

  // What escapes the pipeline's own error handling (a failure while answering or journaling) is still answered.
  const failed = (res: ServerResponse, error: unknown) => {
    if (res.headersSent) {
      console.error('standin: internal error', error);
      res.destroy();
    } else {
      send(res, replyForError(error, plugin), plugin.contentType);
    }
  };

  const run = (req: IncomingMessage, res: ServerResponse, at: Located) => {
    if (!hasBody(req)) {
      handle(req, res, at, undefined).catch((error) => failed(res, error));
      return;
    }
    readBody(req as Request, res as Response, (error?: Error & { type?: string; limit?: number }) => {
      // Body-parser failures (size cap, bad encoding) arrive here, before the pipeline ran.
      if (error?.type) {
        const apiError =
          error.type === 'entity.too.large'
            ? plugin.errors.payloadTooLarge(error.limit ?? options.bodyLimitBytes)
            : plugin.errors.invalidRequest([{ in: 'body', pointer: '', keyword: 'body', message: error.message }]);
        send(res, replyForError(apiError, plugin), plugin.contentType);
      } else if (error) {
        failed(res, error);
      } else {
        const body = (req as Request).body as Buffer;
        handle(req, res, at, body.length ? body : undefined).catch((e) => failed(res, e));
      }
    });
  };

  const mountPoint = `/${plugin.name}`;
  return {
    mounted: (req, res) => run(req, res, { path: req.path, baseUrl: req.baseUrl, query: req.query as Located['query'], url: req.originalUrl }),
    direct(req, res, rest) {
      const q = rest.indexOf('?');
      const query = parseQuery(q < 0 ? '' : rest.slice(q + 1)) as Located['query'];
      run(req, res, { path: q < 0 ? rest : rest.slice(0, q), baseUrl: mountPoint, query, url: req.url! });
    },
  };
}

/**
 * 503 in the vendor's format for a write to a sandbox whose changes cannot be saved (store.ts: a failed flush,
 * retried): accepting it would acknowledge what may never reach the disk. Outside the contract, as a fault is.
 */
function unsavedError(plugin: ApiPlugin, sandbox: Sandbox): ApiError {
  const refusal = plugin.errors.unavailable(
    `Standin cannot save sandbox ${sandbox.id} (${sandbox.unsaved!.reason}); writes are refused until it can, reads are served`,
  );
  return new ApiError(503, refusal.body, { ...refusal.headers, 'Retry-After': '1' }, refusal.contentType);
}

/** Replies to errors that are not the vendor's (a bug in Standin): a 500 in the vendor's format all the same. */
const internalErrors = new WeakSet<Reply>();

function replyOf(error: ApiError): Reply {
  return { status: error.status, body: error.body, headers: error.headers, contentType: error.contentType };
}

function replyForError(error: unknown, plugin: ApiPlugin): Reply {
  if (error instanceof ApiError) return replyOf(error);
  console.error('standin: internal error', error);
  const reply = replyOf(plugin.errors.internalError(`Internal error: this is a bug in Standin (${(error as Error)?.message ?? String(error)}).`));
  internalErrors.add(reply);
  return reply;
}

/** Sends the reply; returns what was sent (the JSON text, or the Buffer as is). */
function send(res: ServerResponse, reply: Reply, defaultContentType: string): string | Buffer | undefined {
  res.statusCode = reply.status;
  if (reply.headers) for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.body === undefined) {
    res.end();
    return undefined;
  }
  res.setHeader('Content-Type', reply.contentType ?? defaultContentType);
  const payload = Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  res.end(payload);
  return payload;
}
