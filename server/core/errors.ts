/**
 * Every error the core raises itself, one code each: the vendor's ErrorFormat gives it the vendor's shape, this
 * registry gives it its words. A request the core refuses is answered from here; a bug the core finds in Standin
 * (`StandinBug`) is answered 500 through ErrorFormat.internalError.
 */
import { STATUS_CODES } from 'node:http';
import type { Operation } from './contract/load.ts';
import { ApiError, type ErrorFormat } from './plugin.ts';
import type { Problem } from './validator/compile.ts';
import { FAULT_HEADER, OMITTED_PROBLEMS_HEADER, SANDBOX_HEADER } from './headers.ts';

/**
 * Answers given outside the contract on purpose (an injected fault, a sandbox that cannot save, a bug already
 * reported): the self-check leaves them alone. Copies are marked, never what a vendor's ErrorFormat returned.
 */
const offContract = new WeakSet<ApiError>();

function outsideTheContract(error: ApiError, headers = error.headers, status = error.status): ApiError {
  const marked = new ApiError(status, error.body, headers, error.contentType);
  offContract.add(marked);
  return marked;
}

export const isOffContract = (error: ApiError): boolean => offContract.has(error);

const header = (name: string, keyword: string, message: string): Problem => ({
  in: 'header',
  pointer: `/${name}`,
  keyword,
  message,
});

/** The refusals: what the client sent is wrong, or the sandbox cannot take it now. */
export const coreErrors = {
  /** 400: X-Standin-Sandbox is not a sandbox id. */
  'sandbox-id': (errors: ErrorFormat) =>
    errors.invalidRequest([header(SANDBOX_HEADER, 'pattern', 'must be 1-64 letters, digits, ".", "_" or "-"')]),
  /** 404 or 405: no operation of the contract at this path, or not with this method. */
  'route-not-found': (errors: ErrorFormat, method: string, path: string, allowed?: string[]) =>
    errors.notFound(method, path, allowed),
  /** 413: the body is over the size cap. */
  'body-too-large': (errors: ErrorFormat, limitBytes: number) => errors.payloadTooLarge(limitBytes),
  /** 400: the body cannot be read (a bad encoding), as body-parser says. */
  'body-unreadable': (errors: ErrorFormat, message: string) =>
    errors.invalidRequest([{ in: 'body', pointer: '', keyword: 'body', message }]),
  /** 400: the request breaks its operation's contract; the problems past the cap are counted in a header. */
  'request-invalid': (errors: ErrorFormat, problems: Problem[], operation: Operation, omitted: number) => {
    const refusal = errors.invalidRequest(problems, operation);
    if (omitted) refusal.headers[OMITTED_PROBLEMS_HEADER] = String(omitted);
    return refusal;
  },
  /** 400: X-Standin-Fault cannot be read. */
  'fault-header': (errors: ErrorFormat, message: string) =>
    outsideTheContract(errors.invalidRequest([header(FAULT_HEADER, 'format', message)])),
  /** The status a fault injects, in the vendor's body (message: the status's reason phrase unless the rule gives one). */
  'fault-injected': (
    errors: ErrorFormat,
    status: number,
    message: string | undefined,
    retryAfter: number | undefined,
  ) => {
    const error = errors.fault(status, message ?? STATUS_CODES[status] ?? 'Injected fault');
    const headers =
      retryAfter === undefined ? { ...error.headers } : { ...error.headers, 'Retry-After': String(retryAfter) };
    return outsideTheContract(error, headers, status);
  },
  /** A fault that resets the connection: nothing reaches the client, the journal keeps status 0. */
  'fault-reset': () => outsideTheContract(new ApiError(503, null)),
  /**
   * 503 for a write to a sandbox whose changes cannot be saved (sandbox/store.ts: a failed flush, retried):
   * accepting it would acknowledge what may never reach the disk. Outside the contract, as a fault is.
   */
  'sandbox-unsaved': (errors: ErrorFormat, sandboxId: string, reason: string) => {
    const refusal = errors.unavailable(
      `Standin cannot save sandbox ${sandboxId} (${reason}); writes are refused until it can, reads are served`,
    );
    return outsideTheContract(refusal, { ...refusal.headers, 'Retry-After': '1' }, 503);
  },
  /**
   * 503 for a sandbox that cannot be served now (sandbox/store.ts SandboxUnavailable: the shared store is
   * unreachable, another server holds the sandbox, its saved state is corrupt), with Retry-After when asking again
   * may help. Outside the contract, as a fault is.
   */
  'sandbox-unavailable': (errors: ErrorFormat, message: string, retryAfterSeconds: number | undefined) => {
    const refusal = errors.unavailable(message);
    const headers =
      retryAfterSeconds === undefined
        ? refusal.headers
        : { ...refusal.headers, 'Retry-After': String(retryAfterSeconds) };
    return outsideTheContract(refusal, headers, 503);
  },
  /** 500: a bug in Standin (anything thrown that is not an ApiError). */
  internal: (errors: ErrorFormat, error: unknown) =>
    outsideTheContract(
      errors.internalError(`Internal error: this is a bug in Standin (${(error as Error)?.message ?? String(error)}).`),
    ),
} satisfies Record<string, (errors: ErrorFormat, ...args: never[]) => ApiError>;

/** The bugs the core catches in Standin itself; each is answered as an internal error. */
const BUGS = {
  'no-handler': (api: string, operationId: string) => `No handler for ${api}.${operationId}`,
  'unlisted-writing-read': (method: string, operationId: string) =>
    `${method} ${operationId} wrote to the state: list it in the plugin's writingReads`,
  'direct-write': (api: string, operationId: string) =>
    `${api}.${operationId} wrote to the state in place: ${api} names its writes (ctx.write)`,
} as const;

export type BugCode = keyof typeof BUGS;

export class StandinBug<C extends BugCode = BugCode> extends Error {
  constructor(
    readonly code: C,
    ...args: Parameters<(typeof BUGS)[C]>
  ) {
    super((BUGS[code] as (...a: Parameters<(typeof BUGS)[C]>) => string)(...args));
  }
}

/** The body of the self-check's 500: a reply that breaks the contract is a bug in Standin, named with its problems. */
export function outsideContract(operationId: string, answered: number, problems: Problem[]) {
  return {
    standin: 'The mock answered outside its contract: this is a bug in Standin.',
    operation: operationId,
    answered,
    problems,
  };
}
