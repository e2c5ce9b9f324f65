import express, { type NextFunction, type Request, type Response } from 'express';
import type { Contract, Operation } from './contract/load.ts';
import { injectFault, type FaultStore, type InjectedFault } from './faults.ts';
import { ApiError, type ApiPlugin, type Reply, type RequestInfo } from './plugin.ts';
import { Router } from './router/match.ts';
import { DEFAULT_SANDBOX, isSandboxId, type Sandbox, type SandboxStore } from './sandbox/store.ts';
import { journalBody } from './sandbox/journal.ts';
import { compileContract, type OperationValidators, type Problem } from './validator/compile.ts';
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

/** The request pipeline of one API: sandbox → route → auth → validation → handler → self-check → journal. */
export function apiPipeline(api: MountedApi, options: PipelineOptions): express.Router {
  const { plugin } = api;
  const pipeline = express.Router({ strict: true, caseSensitive: true });
  pipeline.use(express.raw({ type: () => true, limit: options.bodyLimitBytes }));

  pipeline.use(async (req: Request, res: Response) => {
    const started = performance.now();
    const request: RequestInfo = {
      method: req.method,
      path: req.path,
      baseUrl: `${req.protocol}://${req.get('host')}${req.baseUrl}`,
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
      const sandboxId = req.get(SANDBOX_HEADER) ?? DEFAULT_SANDBOX;
      if (!isSandboxId(sandboxId)) {
        throw plugin.errors.invalidRequest(
          [{ in: 'header', pointer: `/${SANDBOX_HEADER}`, keyword: 'pattern', message: 'must be 1-64 letters, digits, ".", "_" or "-"' }]
        );
      }
      sandbox = await options.store.get(sandboxId);
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
        contentType: req.get('content-type'),
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

    const responseProblems = operation && !fault?.error ? checkResponse(operation, api.validators.get(operation.operationId)!, reply, plugin.contentType) : [];
    if (responseProblems.length) {
      console.error(`standin: ${plugin.name}.${operation!.operationId} answered outside its contract`, responseProblems);
      if (options.strict) {
        reply = {
          status: 500,
          contentType: 'application/json; charset=utf-8',
          body: { standin: 'The mock answered outside its contract: this is a bug in Standin.', operation: operation!.operationId, answered: reply.status, problems: responseProblems },
        };
      }
    }
    send(res, reply, plugin.contentType);
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
      responseBody: journalBody(reply.body),
    });
  });

  // Body-parser failures (size cap, bad encoding) arrive here, before the pipeline above ran.
  pipeline.use((error: Error & { type?: string; limit?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (!error.type) return next(error);
    const apiError =
      error.type === 'entity.too.large'
        ? plugin.errors.payloadTooLarge(error.limit ?? options.bodyLimitBytes)
        : plugin.errors.invalidRequest([{ in: 'body', pointer: '', keyword: 'body', message: error.message }]);
    send(res, replyForError(apiError), plugin.contentType);
  });
  return pipeline;
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

function send(res: Response, reply: Reply, defaultContentType: string): void {
  res.status(reply.status);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', reply.contentType ?? defaultContentType);
  res.end(Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body));
}
