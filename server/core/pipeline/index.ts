/**
 * The request pipeline of one API, its stages in order: sandbox → route → fault → turn → auth → validate →
 * handle → self-check → journal. A stage refuses a request by throwing the vendor-format error that answers it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Operation } from '../contract/load.ts';
import { coreErrors, isOffContract } from '../errors.ts';
import type { FaultStore } from '../faults.ts';
import type { Reply, RequestInfo } from '../plugin.ts';
import type { Sandbox, SandboxStore } from '../sandbox/store.ts';
import { compileResponseValidators } from '../validator/compile.ts';
import { authenticate } from './auth.ts';
import { type ApiPipeline, entry } from './entry.ts';
import { injectFault, type InjectedFault } from './fault.ts';
import { handle } from './handle.ts';
import { journalAnswered, requestEvent, type RequestEvent } from './journal.ts';
import type { Located } from './located.ts';
import type { MountedApi } from './mount.ts';
import { apiErrorOf, type Payload, payloadOf, replyOf, send } from './reply.ts';
import { routeOf } from './route.ts';
import { sandboxOf } from './sandbox.ts';
import { checkReply, NOTHING_FOUND, outsideContractReply } from './self-check.ts';
import { enterTurn, leaveTurn, type Turn } from './turn.ts';
import { validated } from './validate.ts';

export type { ApiPipeline } from './entry.ts';
export type { RequestEvent } from './journal.ts';
export { type MountedApi, mountApi } from './mount.ts';

export interface PipelineOptions {
  store: SandboxStore;
  /** Check every response against the contract: true answers 500 for one that breaks it, 'warn' only reports it (journal, log). */
  strict: boolean | 'warn';
  /** Told of every answered request (the request log). */
  onRequest?: (event: RequestEvent) => void;
  bodyLimitBytes: number;
  /** Fault rules per sandbox; none injected when absent. */
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
 * The request as handlers see it. A class, so that the absolute base URL (which only links need) is worked out on
 * the rare request that asks for it, without a getter defined on every request's object.
 */
class PipelineRequest implements RequestInfo {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: RequestInfo['rawQuery'];
  readonly headers: IncomingMessage['headers'];
  constructor(
    private readonly req: IncomingMessage,
    private readonly at: Located,
  ) {
    this.method = req.method!;
    this.path = at.path;
    this.rawQuery = at.query;
    this.headers = req.headers;
  }

  get baseUrl(): string {
    const scheme = (this.req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    return `${scheme}://${this.req.headers.host}${this.at.baseUrl}`;
  }
}

export function apiPipeline(api: MountedApi, options: PipelineOptions): ApiPipeline {
  const { plugin } = api;
  const { errors } = plugin;
  // Under test and --strict every response is checked: compile the checks now, so a bad schema fails the start.
  if (options.strict) compileResponseValidators(api.validators);

  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    at: Located,
    rawBody: Buffer | undefined,
  ): Promise<void> => {
    const started = performance.now();
    const request = new PipelineRequest(req, at);
    let sandbox: Sandbox | undefined;
    let operation: Operation | undefined;
    let fault: InjectedFault | undefined;
    let turn: Turn | undefined;
    let requestCheck = NOTHING_FOUND;
    let reply: Reply;
    // The self-check looks at the replies of requests that reached their operation, except those off the contract on purpose.
    let checked = true;
    // The request failed: whatever it wrote is undone.
    let failed = false;
    try {
      const found = sandboxOf(req.headers, options.store, errors);
      sandbox = found instanceof Promise ? await found : found;
      const route = routeOf(api, request.method, at);
      operation = route.operation;
      const sandboxId = sandbox.id;
      const injected = injectFault(
        options.faults,
        { api: plugin.name, errors, sandboxId, operationId: operation.operationId },
        req,
      );
      fault = injected instanceof Promise ? await injected : injected;
      if (fault?.error) throw fault.error;
      const entered = enterTurn(sandbox, plugin, request.method, operation.operationId, options);
      turn = entered instanceof Promise ? await entered : entered;
      const { state } = turn;
      const active = sandbox;
      const now = () => active.now();
      const authenticated = authenticate(api, req.headers, { operation, request, state, now, sandboxId });
      const principal = authenticated instanceof Promise ? await authenticated : authenticated;
      const input = validated(api, route, req, at, rawBody);
      requestCheck = { problems: input.problems, omitted: input.omittedProblems };
      if (input.problems.length)
        throw coreErrors['request-invalid'](errors, input.problems, operation, input.omittedProblems);
      const { params, query, headers, body } = input;
      const changed = () => active.changed();
      const handled = handle(
        plugin,
        {
          operation,
          request,
          params,
          query,
          headers,
          body,
          state,
          write: turn.writer,
          principal,
          now,
          sandboxId,
          changed,
        },
        turn,
      );
      reply = handled instanceof Promise ? await handled : handled;
    } catch (error) {
      failed = true;
      const refusal = apiErrorOf(error, errors);
      checked = !isOffContract(refusal);
      reply = replyOf(refusal);
    }

    let responseCheck = NOTHING_FOUND;
    let payload: Payload | undefined;
    try {
      payload = payloadOf(reply);
      if (operation && options.strict && checked)
        responseCheck = checkReply(api, operation, reply, typeof payload?.wire === 'string' ? payload.wire : undefined);
      if (responseCheck.problems.length && options.strict === true) {
        failed = true;
        reply = outsideContractReply(api, operation!, reply, responseCheck);
        payload = payloadOf(reply);
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // A write the store refused is answered as refused (503), never as done.
      const left = sandbox && leaveTurn(turn, sandbox, failed);
      if (left)
        await left.catch((error: unknown) => {
          reply = replyOf(apiErrorOf(error, errors));
          payload = payloadOf(reply);
        });
    }
    const sent = send(res, reply, plugin.contentType, payload);
    const answered = {
      api: plugin.name,
      method: request.method,
      url: at.url,
      started,
      operation,
      fault,
      request: requestCheck,
      response: responseCheck,
      rawBody,
      rawHeaders: req.rawHeaders,
      reply,
      sent,
    };
    if (sandbox) journalAnswered(sandbox, answered);
    options.onRequest?.(requestEvent(sandbox?.id, answered));
  };

  return entry(plugin, options.bodyLimitBytes, answer);
}
