import type { Operation } from './contract/load.ts';
import type { Credentials } from './pipeline/credentials.ts';
import type { TrailingSlash } from './router/trailing-slash.ts';
import type { Problem } from './validator/compile.ts';

/** What a handler answers; the core serialises it (JSON unless `body` is a Buffer or string with a contentType). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to the plugin's `contentType` for bodies that are not Buffers. */
  contentType?: string;
}

/** A vendor-format error: thrown anywhere in auth or a handler, sent as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    readonly contentType?: string,
  ) {
    super(`${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

/** The request as auth and handlers see it. */
export interface RequestInfo {
  method: string;
  /** Path below the API's mount point, e.g. `/api/v2/prices/1`. */
  path: string;
  /** Absolute URL of the API's mount point as the client reached it, e.g. `http://127.0.0.1:4010/productive`. */
  baseUrl: string;
  /** Raw query as parsed (repeated keys become arrays). */
  rawQuery: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
}

export interface HandlerContext<State, Principal> {
  operation: Operation;
  request: RequestInfo;
  /** Path, query and header parameters, coerced to the contract's types and with its defaults applied. */
  params: Record<string, any>;
  query: Record<string, any>;
  headers: Record<string, any>;
  /** The parsed, validated request body (undefined when none was sent). */
  body: any;
  /** This API's slice of the sandbox state: mutate it in place, after validating. */
  state: State;
  principal: Principal;
  /** The sandbox clock. Handlers never read the machine clock. */
  now(): Date;
  sandboxId: string;
  /** Marks the sandbox dirty from a safe (GET) request that changed state, e.g. a lazy expiry. */
  changed(): void;
}

export type Handler<State, Principal> = (ctx: HandlerContext<State, Principal>) => Reply | Promise<Reply>;

export interface AuthContext<State> {
  operation: Operation;
  request: RequestInfo;
  /** What the request carries for the contract's securitySchemes, read by the core. */
  credentials: Credentials;
  state: State;
  now(): Date;
  sandboxId: string;
}

/** How a vendor reports what the core found wrong before a handler ran. */
export interface ErrorFormat {
  /** Request validation problems (bad JSON, wrong types, missing fields, wrong content type...). */
  invalidRequest(problems: Problem[], operation?: Operation): ApiError;
  /** A path the contract does not have, or a method it does not allow there. */
  notFound(method: string, path: string, allowed?: string[]): ApiError;
  /** A body over the size cap. */
  payloadTooLarge(limitBytes: number): ApiError;
  /** An injected fault (server/core/faults.ts): `status` with `message` in the vendor's error body. */
  fault(status: number, message: string): ApiError;
  /** 503: the server cannot take writes now (the sandbox's changes cannot be saved), with `message` saying why. */
  unavailable(message: string): ApiError;
  /** A bug in Standin (a handler threw something else than an ApiError): 500 with `message`. */
  internalError(message: string): ApiError;
}

export interface ApiPlugin<State = any, Principal = any> {
  /** Mount prefix and contract folder: contracts/<name>/openapi.yaml, served at /<name>. */
  name: string;
  title: string;
  /** Content type of JSON bodies, e.g. `application/vnd.api+json; charset=utf-8`. */
  contentType: string;
  /** A fresh copy of the fixtures: the state of a new or reset sandbox. */
  fixtures(): State;
  /** Identifies the caller or throws an ApiError (401/403). Called for every operation, public ones included. */
  authenticate(ctx: AuthContext<State>): Principal | Promise<Principal>;
  errors: ErrorFormat;
  handlers: Record<string, Handler<State, Principal>>;
  /**
   * Runs before every handler, in its transaction, e.g. to bring the state up to the sandbox clock; calls
   * ctx.changed() when a read changed the state.
   */
  beforeHandler?(ctx: HandlerContext<State, Principal>): void;
  /** Runs after every handler that answered (a handler that throws skips it), before the request's writes are kept. */
  afterHandler?(ctx: HandlerContext<State, Principal>, reply: Reply): void;
  /**
   * What is wrong with a state given for this API (a snapshot restored through the admin API), one line per problem
   * naming where (a JSON pointer); empty when the handlers can work on it. Checked before anything is stored.
   */
  validateState?(state: unknown): string[];
  /** Read-only views of the state for the admin API: GET /__standin/sandboxes/{id}/apis/<name>/<view>. */
  adminViews?: Record<string, (state: State) => unknown>;
  /**
   * Reads (GET, HEAD) that may write to the state, e.g. settling what the sandbox clock made due: they run in a
   * transaction as writes do. Other reads see the state as it is (several times faster); under test they run in
   * a transaction too, and one that writes is answered 500 as the bug it is.
   */
  writingReads?: 'all' | readonly string[];
  /**
   * A Django backend's trailing slashes: a path the contract writes with a trailing slash is served without it too,
   * except the paths in `redirect`, answered with a redirect to the path with the slash (router/trailing-slash.ts).
   */
  trailingSlash?: TrailingSlash;
}

export function definePlugin<State, Principal>(plugin: ApiPlugin<State, Principal>): ApiPlugin<State, Principal> {
  return plugin;
}
