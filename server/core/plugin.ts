import type { Operation } from './contract/load.ts';
import type { Credentials } from './pipeline/credentials.ts';
import type { StateWriter } from './sandbox/named-writes.ts';
import type { TrailingSlash } from './router/trailing-slash.ts';
import type { Problem } from './validator/compile.ts';
import type { StateCheck } from './validator/state-schema.ts';

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

/**
 * An operation's types as openapi-typescript generates them (an entry of a contract's `operations`, in
 * server/apis/<api>/contract.d.ts): its parameters by location, its request body and its responses by status, each
 * by media type.
 */
export interface OperationTypes {
  parameters: { path?: object; query?: object; header?: object };
  requestBody?: { content: object };
  responses: object;
}

/** An operation the core knows nothing of: what the core itself, and code shared by several operations, sees. */
export interface AnyOperation {
  parameters: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  requestBody?: { content: Record<string, unknown> };
  responses: Record<number, { content?: Record<string, unknown> }>;
}

/** A contract's operations by operationId (its generated `operations` interface). */
export type OperationMap<Ops> = { [Id in keyof Ops]: OperationTypes };

/** Parameters declared at one location, or an empty record when the operation declares none there. */
type ParametersIn<Op extends OperationTypes, In extends keyof OperationTypes['parameters']> = [
  NonNullable<Op['parameters'][In]>,
] extends [never]
  ? Record<string, never>
  : NonNullable<Op['parameters'][In]>;

type JsonMediaType = `${string}/json` | `${string}+json`;

/** What a request body arrives as: a JSON media type parsed into its schema's type, any other as its bytes. */
type RequestMedia<Content> = {
  [M in keyof Content]: string extends M ? Content[M] : M extends JsonMediaType ? Content[M] : Buffer;
}[keyof Content];

/** The request body a handler receives: undefined when the operation takes none or the body is optional and absent. */
export type RequestBody<Op extends OperationTypes> = [NonNullable<Op['requestBody']>] extends [never]
  ? undefined
  : RequestMedia<NonNullable<Op['requestBody']>['content']> | (undefined extends Op['requestBody'] ? undefined : never);

/** What a reply may carry for one response: a JSON media type's schema type, or bytes or text for any other. */
type ReplyMedia<Response> = Response extends { content?: infer Content }
  ? {
      [M in keyof Content]: string extends M ? Content[M] : M extends JsonMediaType ? Content[M] : Buffer | string;
    }[keyof Content]
  : never;

/** A status the operation's contract declares. */
type DeclaredStatus<Op extends OperationTypes> = keyof Op['responses'] & number;

/**
 * A reply to an operation: one of the statuses its contract declares, with a body of that status's type. Errors are
 * thrown as ApiError, in the vendor's error format, and not typed here.
 */
export type OperationReply<Op extends OperationTypes> = {
  [Status in DeclaredStatus<Op>]: Omit<Reply, 'status' | 'body'> & {
    status: Status;
    body?: ReplyMedia<Op['responses'][Status]>;
  };
}[DeclaredStatus<Op>];

/**
 * A reply with one of the statuses the operation's contract declares and a body not checked against it: what every
 * handler returns. A vendor whose renderers return its contract's schemas declares its handlers' replies as
 * OperationReply, which checks the body too.
 */
export type StatusReply<Op extends OperationTypes> = Omit<Reply, 'status'> & { status: DeclaredStatus<Op> };

/** What a handler receives of a request, once validated: parameters by location and the body. */
export interface RequestTypes {
  params: object;
  query: object;
  headers: object;
  body: unknown;
}

/** The request of any operation: what code shared by several operations reads of it. */
export interface AnyRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
}

/** An operation's request as its handler receives it. */
export type RequestOf<Op extends OperationTypes> = {
  params: ParametersIn<Op, 'path'>;
  query: ParametersIn<Op, 'query'>;
  headers: ParametersIn<Op, 'header'>;
  body: RequestBody<Op>;
};

export interface HandlerContext<State, Principal, Request extends RequestTypes = AnyRequest> {
  operation: Operation;
  request: RequestInfo;
  /** Path, query and header parameters, coerced to the contract's types and with its defaults applied. */
  params: Request['params'];
  query: Request['query'];
  headers: Request['headers'];
  /** The parsed, validated request body (undefined when none was sent). */
  body: Request['body'];
  /**
   * This API's slice of the sandbox state. A plugin with `namedWrites` only reads it and writes through `write`;
   * another mutates it in place, after validating.
   */
  state: State;
  /** Writes to `state` by path, each undone if the request fails (sandbox/named-writes.ts). */
  write: StateWriter<State>;
  principal: Principal;
  /** The sandbox clock. Handlers never read the machine clock. */
  now(): Date;
  sandboxId: string;
  /** Marks the sandbox dirty from a safe (GET) request that changed state, e.g. a lazy expiry. */
  changed(): void;
}

/**
 * A vendor's handler context bound to its generated `operations`: that of operation Id, or, with Id undefined, of
 * code any operation may call.
 */
export type ContextOf<
  State,
  Principal,
  Ops extends OperationMap<Ops>,
  Id extends keyof Ops | undefined,
> = HandlerContext<State, Principal, Id extends keyof Ops ? RequestOf<Ops[Id]> : AnyRequest>;

/**
 * The handler of one operation. Declared through a method so that its parameter is bivariant: a plugin's handlers,
 * each typed for its own operation, are then held by the core as handlers of any operation, to which it passes the
 * request it validated against that same operation.
 */
export type Handler<State, Principal, Op extends OperationTypes = AnyOperation> = {
  handle(ctx: HandlerContext<State, Principal, RequestOf<Op>>): StatusReply<Op> | Promise<StatusReply<Op>>;
}['handle'];

/** The handler of any operation: how the core, and code that wraps every handler, hold one. */
export type AnyHandler<State, Principal> = {
  handle(ctx: HandlerContext<State, Principal, AnyRequest>): Reply | Promise<Reply>;
}['handle'];

/** One handler for each operation of a contract, named by its operationId: a missing or unknown one does not compile. */
export type Handlers<State, Principal, Ops extends OperationMap<Ops>> = {
  [Id in keyof Ops]: Handler<State, Principal, Ops[Id]>;
};

/**
 * A read-only view of a plugin's state for the admin API. Declared through a method, as Handler is, so that the core
 * holds every plugin as an ApiPlugin of unknown state and hands each view the state of its own plugin. With `about`,
 * the console says what fills the view while it is empty.
 */
export type AdminView<State> = { view(state: State): unknown }['view'] | { about: string; view(state: State): unknown };

/** The function that reads an admin view. */
export const readView = <State>(view: AdminView<State>) => (typeof view === 'function' ? view : view.view);

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
  /** 504 from a load balancer in front of Standin (deploy/): the server behind it did not answer in time. */
  gatewayTimeout(message: string): ApiError;
  /** A bug in Standin (a handler threw something else than an ApiError): 500 with `message`. */
  internalError(message: string): ApiError;
}

/**
 * A credential that works on the fixtures: a value for each security scheme of one of the contract's security
 * requirements, named as the contract names them.
 */
export interface StartCredential {
  /** Whose it is and what it may do, e.g. `admin of organization 56`. */
  who: string;
  schemes: Record<string, SchemeValue>;
}

/**
 * The value of one security scheme: a user name and password (HTTP Basic), a token (HTTP Bearer, an API key), or a
 * token read from the answer of a public operation (a login), at `tokenField` of its JSON body.
 */
export type SchemeValue =
  | string
  | { username: string; password: string }
  | { login: { operationId: string; body: unknown; tokenField: string } };

/** What a newcomer needs to make a first request, built from the fixtures (the console's APIs tab). */
export interface GettingStarted {
  /** Working credentials; the first is the one the first request uses. */
  credentials: StartCredential[];
  /** Fixture records worth knowing: what they are and their id. */
  records: { what: string; id: string | number }[];
  /** A read that answers 200 on the fixtures with the first credential, with the values of its path parameters. */
  firstRequest: { operationId: string; params?: Record<string, string | number>; query?: Record<string, string> };
  /** Tables of reference data from the fixtures (plans, currencies, countries…), by name. */
  reference: Record<string, unknown[]>;
  /**
   * Main records whose values the API reference's samples take first (then any fixture value of the same name), so
   * one sample's fields agree, e.g. a US address with a US subdivision.
   */
  samples: unknown[];
}

export interface ApiPlugin<
  State = unknown,
  Principal = unknown,
  ByOperation = Record<string, AnyHandler<State, Principal>>,
> {
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
  /** The handler of each operation by operationId (see Handlers). */
  handlers: ByOperation;
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
  validateState?: StateCheck;
  /** Read-only views of the state for the admin API: GET /__standin/sandboxes/{id}/apis/<name>/<view>. */
  adminViews?: Record<string, AdminView<State>>;
  /**
   * Reads (GET, HEAD) that may write to the state, e.g. settling what the sandbox clock made due: they run in a
   * transaction as writes do. Other reads see the state as it is (several times faster); under test they run in
   * a transaction too, and one that writes is answered 500 as the bug it is.
   */
  writingReads?: 'all' | readonly string[];
  /**
   * Its handlers (and hooks) write only through ctx.write, so its requests see the state as it is, without the
   * views that record writes made in place: a write request costs about a fifth less CPU. Under test the state is
   * shown through views that answer a write in place 500, as the bug it is.
   */
  namedWrites?: true;
  /** How to start with this API on its fixtures: credentials, records, a first request, reference data. */
  gettingStarted?(fixtures: State): GettingStarted;
  /**
   * A Django backend's trailing slashes: a path the contract writes with a trailing slash is served without it too,
   * except the paths in `redirect`, answered with a redirect to the path with the slash (router/trailing-slash.ts).
   */
  trailingSlash?: TrailingSlash;
}

export function definePlugin<State, Principal, Ops extends OperationMap<Ops>>(
  plugin: ApiPlugin<State, Principal, Handlers<State, Principal, Ops>>,
): ApiPlugin<State, Principal, Handlers<State, Principal, Ops>> {
  return plugin;
}
