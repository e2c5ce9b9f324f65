/**
 * The self-check stage (design: always on under test, --strict at run time): a reply that breaks its operation's
 * contract is a bug in Standin, answered 500 naming the problems. Without --strict nothing would act on its
 * findings, and it costs about as much as the rest of a GET's own work.
 */
import type { Operation } from '../contract/load.ts';
import { outsideContract } from '../errors.ts';
import type { Reply } from '../plugin.ts';
import { capProblems, type CappedProblems } from '../validator/problems.ts';
import { checkResponse } from '../validator/response.ts';
import type { MountedApi } from './mount.ts';

export const NOTHING_FOUND: CappedProblems = { problems: [], omitted: 0 };

/** The reply's problems against the contract (the first ones, as capProblems keeps them). */
export function checkReply(api: MountedApi, operation: Operation, reply: Reply): CappedProblems {
  return capProblems(
    checkResponse(operation, api.validators.get(operation.operationId)!, reply, api.plugin.contentType),
  );
}

/** The 500 that replaces a reply outside the contract. */
export function outsideContractReply(
  api: MountedApi,
  operation: Operation,
  reply: Reply,
  found: CappedProblems,
): Reply {
  console.error(`standin: ${api.plugin.name}.${operation.operationId} answered outside its contract`, found.problems);
  return {
    status: 500,
    contentType: 'application/json; charset=utf-8',
    body: outsideContract(operation.operationId, reply.status, found.problems),
  };
}
