/** The validate stage: the request against its operation's contract, coerced and with the contract's defaults. */
import type { IncomingMessage } from 'node:http';
import { validateRequest, type ValidatedRequest } from '../validator/request.ts';
import type { Located } from './located.ts';
import type { MountedApi } from './mount.ts';
import type { Route } from './route.ts';

/** What the request gives its handler, and the problems that refuse it (none when it is valid). */
export function validated(
  api: MountedApi,
  route: Route,
  req: IncomingMessage,
  at: Located,
  rawBody: Buffer | undefined,
): ValidatedRequest {
  return validateRequest(route.operation, api.validators.get(route.operation.operationId)!, {
    rawParams: route.rawParams,
    query: at.query,
    headers: req.headers,
    contentType: req.headers['content-type'],
    rawBody,
  });
}
