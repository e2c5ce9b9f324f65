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

/** How many texts found within its contract each operation remembers, per status and content type. */
const PASSED_KEPT = 32;

/** Operation → `<status> <content type>` → JSON texts of replies found within the contract, oldest first. */
const passed = new WeakMap<Operation, Map<string, Set<string>>>();

/**
 * The reply's problems against the contract (the first ones, as capProblems keeps them). `text`, the reply's JSON
 * text: the same bytes for the same operation, status and content type were found within the contract before.
 */
export function checkReply(api: MountedApi, operation: Operation, reply: Reply, text?: string): CappedProblems {
  let byKind = passed.get(operation);
  if (!byKind) passed.set(operation, (byKind = new Map()));
  const kind = `${reply.status} ${reply.contentType ?? api.plugin.contentType}`;
  let texts = byKind.get(kind);
  if (text !== undefined && texts?.has(text)) return NOTHING_FOUND;
  const found = capProblems(
    checkResponse(operation, api.validators.get(operation.operationId)!, reply, api.plugin.contentType),
  );
  if (text === undefined || found.problems.length) return found;
  if (!texts) byKind.set(kind, (texts = new Set()));
  if (texts.size >= PASSED_KEPT) texts.delete(texts.values().next().value!);
  texts.add(text);
  return found;
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
