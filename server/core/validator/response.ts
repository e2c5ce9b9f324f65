import type { Operation } from '../contract/load.ts';
import type { Reply } from '../plugin.ts';
import { toProblems, type OperationValidators, type Problem } from './compile.ts';
import { mediaTypeEssence } from './request.ts';

function responseKey(op: Operation, status: number): string | undefined {
  const exact = String(status);
  if (op.responses[exact]) return exact;
  const range = `${exact[0]}XX`;
  if (op.responses[range]) return range;
  return op.responses.default ? 'default' : undefined;
}

/** The self-check: does this reply match what the contract documents for the operation? */
export function checkResponse(
  op: Operation,
  validators: OperationValidators,
  reply: Reply,
  defaultContentType: string,
): Problem[] {
  const key = responseKey(op, reply.status);
  if (!key)
    return [{ in: 'response', pointer: '', keyword: 'status', message: `status ${reply.status} is not documented` }];
  const media = validators.responses.get(key)!;
  if (reply.body === undefined) {
    return media.size === 0
      ? []
      : [{ in: 'response', pointer: '', keyword: 'body', message: `status ${reply.status} must have a body` }];
  }
  if (media.size === 0)
    return [
      { in: 'response', pointer: '', keyword: 'body', message: `status ${reply.status} has no body in the contract` },
    ];
  const actual = mediaTypeEssence(reply.contentType ?? defaultContentType);
  const type = [...media.keys()].find((declared) => mediaTypeEssence(declared) === actual);
  if (type === undefined)
    return [
      {
        in: 'response',
        pointer: '',
        keyword: 'mediaType',
        message: `content type ${actual} is not documented for ${reply.status}`,
      },
    ];
  const validator = media.get(type);
  if (!validator || validator.passes(reply.body)) return [];
  validator.problems(reply.body);
  return toProblems('response', validator.problems.errors);
}
