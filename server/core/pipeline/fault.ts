/**
 * The fault stage (after routing, before auth): decides the request's fault (core/faults.ts), waits out its
 * latency, destroys the connection for a reset, and gives the error to answer with. Its answers are on purpose,
 * so the self-check leaves them alone.
 */
import type { IncomingMessage } from 'node:http';
import { coreErrors } from '../errors.ts';
import { type Fault, FaultError, type FaultMarker, type FaultStore } from '../faults.ts';
import { FAULT_HEADER } from '../headers.ts';
import type { ApiError, ErrorFormat } from '../plugin.ts';

/** A fault that took effect on a request: the journal's marker, and the error the pipeline answers with. */
export interface InjectedFault {
  marker: FaultMarker;
  /** The vendor-format answer (an injected status, or a 400 for a malformed X-Standin-Fault header). */
  error?: ApiError;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The vendor-format error of a fault that answers a status (undefined for latency alone). */
function faultError(fault: Fault, errors: ErrorFormat): ApiError | undefined {
  const { status, message, retryAfter } = fault.spec;
  if (status === undefined) return undefined;
  return coreErrors['fault-injected'](errors, status, message, retryAfter ?? (status === 429 ? 1 : undefined));
}

export interface FaultTarget {
  api: string;
  errors: ErrorFormat;
  sandboxId: string;
  operationId: string;
}

export function injectFault(
  faults: FaultStore | undefined,
  target: FaultTarget,
  req: IncomingMessage,
): InjectedFault | undefined | Promise<InjectedFault | undefined> {
  if (!faults) return undefined;
  let fault: Fault | undefined;
  try {
    fault = faults.decide(target.sandboxId, target.api, target.operationId, req.headers[FAULT_HEADER]);
  } catch (error) {
    if (!(error instanceof FaultError)) throw error;
    return {
      marker: { source: 'header', status: 400 },
      error: coreErrors['fault-header'](target.errors, error.message),
    };
  }
  if (!fault) return undefined;
  if (fault.latencyMs === 0) return faultTaken(fault, target, req);
  const delayed = fault;
  return sleep(fault.latencyMs).then(() => faultTaken(delayed, target, req));
}

/** The fault, its latency waited out: the connection destroyed for a reset, and the error to answer with. */
function faultTaken(fault: Fault, target: FaultTarget, req: IncomingMessage): InjectedFault {
  if (fault.spec.reset) {
    req.socket.destroy();
    // Nothing reaches the client; the pipeline stops here and journals the reset.
    return { marker: fault.marker, error: coreErrors['fault-reset']() };
  }
  return { marker: fault.marker, error: faultError(fault, target.errors) };
}
