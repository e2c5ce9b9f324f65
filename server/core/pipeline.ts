import express, { type NextFunction, type Request, type Response } from 'express';
import type { Contract, Operation } from './contract/load.ts';
import { injectFault, type FaultStore, type InjectedFault } from './faults.ts';
import { ApiError, type ApiPlugin, type Reply, type RequestInfo } from './plugin.ts';
import { Router } from './router/match.ts';
import { DEFAULT_SANDBOX, isSandboxId, type Sandbox, type SandboxStore } from './sandbox/store.ts';
import { journalBody, journalJson } from './sandbox/journal.ts';
import { compileContract, compileResponseValidators, type OperationValidators, type Problem } from './validator/compile.ts';
import { validateRequest } from './validator/request.ts';
import { checkResponse } from './validator/response.ts';

export const SANDBOX_HEADER = 'x-standin-sandbox';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
}

/** A request with a body, as body-parser (type-is) tells it. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10));
}

/**
 * The request pipeline of one API: sandbox → route → auth → validation → handler → self-check → journal.
 * One handler mounted at /<api>, not a router of its own: the body parser runs only for requests with a body.
 */
export function apiPipeline(api: MountedApi, options: PipelineOptions): express.RequestHandler {
  const { plugin } = api;
  const readBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });
  // Under test and --strict every response is checked: compile the checks now, so a bad schema fails the start.
  if (options.strict) compileResponseValidators(api.validators);

  const handle = async (req: Request, res: Response): Promise<void> => {
    const started = performance.now();
    const request: RequestInfo = {
      method: req.method,
      path: req.path,
      get baseUrl() {
        return `${req.protocol}://${req.get('host')}${req.baseUrl}`;
      },
      rawQuery: req.query as RequestInfo['rawQuery'],
      headers: req.headers,
    };
    const rawBody = Buffer.isBuffer(req.body) && req.body.length ? req.body : undefined;
    let sandbox: Sandbox | undefined;
    let operation: Operation | undefined;
    let requestProblems: Problem[] = [];
    let fault: InjectedFault | undefined;
    let reply: Reply;
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
      const match = api.router.match(req.method, req.path);
      if (match.kind !== 'operation')
        throw plugin.errors.notFound(req.method, req.path, match.kind === 'method-not-allowed' ? match.allowed : undefined);
      operation = match.operation;
      fault = await injectFault(options.faults, plugin, sandboxId, operation.operationId, req);
      if (fault?.error) throw fault.error;
      const state = sandbox.state.apis[plugin.name];
      const active = sandbox;
      const now = () => active.now();
      const principal = plugin.authenticate({ operation, request, state, now });
      const validated = validateRequest(operation, api.validators.get(operation.operationId)!, {
        rawParams: match.rawParams,
        query: request.rawQuery,
        headers: req.headers,
        contentType: req.headers['content-type'],
        rawBody,
      });
      requestProblems = validated.problems;
      if (requestProblems.length) throw plugin.errors.invalidRequest(requestProblems, operation);
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
      if (!SAFE_METHODS.has(req.method) && reply.status < 400) sandbox.changed();
    } catch (error) {
      reply = replyForError(error);
    }

    // The self-check (design: always on under test, --strict at run time). Without --strict nothing would act
    // on its findings, and it costs about as much as the rest of a GET's own work.
    const responseProblems =
      operation && options.strict && !fault?.error ? checkResponse(operation, api.validators.get(operation.operationId)!, reply, plugin.contentType) : [];
    if (responseProblems.length) {
      console.error(`standin: ${plugin.name}.${operation!.operationId} answered outside its contract`, responseProblems);
      reply = {
        status: 500,
        contentType: 'application/json; charset=utf-8',
        body: { standin: 'The mock answered outside its contract: this is a bug in Standin.', operation: operation!.operationId, answered: reply.status, problems: responseProblems },
      };
    }
    const sent = send(res, reply, plugin.contentType);
    sandbox?.journal.add({
      at: sandbox.now().toISOString(),
      api: plugin.name,
      operationId: operation?.operationId ?? null,
      method: req.method,
      path: req.originalUrl,
      status: fault?.marker.reset ? 0 : reply.status,
      ...(fault && { fault: fault.marker }),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      validation: { request: requestProblems, response: responseProblems },
      requestBody: rawBody ? journalBody(rawBody.toString('utf8')) : undefined,
      // The text just sent, not a second serialisation of the body.
      responseBody: typeof sent === 'string' ? journalJson(sent) : journalBody(reply.body),
    });
  };

  // Body-parser failures (size cap, bad encoding) arrive here, before the pipeline above ran.
  const bodyFailed = (error: Error & { type?: string; limit?: number }, res: Response, next: NextFunction) => {
    if (!error.type) return next(error);
    const apiError =
      error.type === 'entity.too.large'
        ? plugin.errors.payloadTooLarge(error.limit ?? options.bodyLimitBytes)
        : plugin.errors.invalidRequest([{ in: 'body', pointer: '', keyword: 'body', message: error.message }]);
    send(res, replyForError(apiError), plugin.contentType);
  };

  return (req, res, next) => {
    if (!hasBody(req)) {
      handle(req, res).catch(next);
      return;
    }
    readBody(req, res, (error?: unknown) => {
      if (error) bodyFailed(error as Error, res, next);
      else handle(req, res).catch(next);
    });
  };
}

function replyForError(error: unknown): Reply {
  if (error instanceof ApiError)
    return { status: error.status, body: error.body, headers: error.headers, contentType: error.contentType };
  console.error('standin: internal error', error);
  return {
    status: 500,
    contentType: 'application/json; charset=utf-8',
    body: { standin: 'Internal error: this is a bug in Standin.', message: (error as Error)?.message ?? String(error) },
  };
}

/** Sends the reply; returns what was sent (the JSON text, or the Buffer as is). */
function send(res: Response, reply: Reply, defaultContentType: string): string | Buffer | undefined {
  res.status(reply.status);
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
