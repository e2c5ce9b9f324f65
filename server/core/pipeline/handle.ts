/**
 * The handle stage: the plugin's beforeHandler hook, the operation's handler, its afterHandler hook. A read that
 * wrote without being listed in the plugin's writingReads is a bug (caught when reads are guarded).
 */
import { StandinBug } from '../errors.ts';
import type { ApiPlugin, HandlerContext, Reply } from '../plugin.ts';
import type { Turn } from './turn.ts';

export function handle<State, Principal>(
  plugin: ApiPlugin<State, Principal>,
  ctx: HandlerContext<State, Principal>,
  turn: Pick<Turn, 'writing' | 'transaction'>,
): Reply | Promise<Reply> {
  const { operationId } = ctx.operation;
  const handler = plugin.handlers[operationId];
  if (!handler) throw new StandinBug('no-handler', plugin.name, operationId);
  plugin.beforeHandler?.(ctx);
  const answered = handler(ctx);
  return answered instanceof Promise
    ? answered.then((reply) => handled(plugin, ctx, turn, reply))
    : handled(plugin, ctx, turn, answered);
}

function handled<State, Principal>(
  plugin: ApiPlugin<State, Principal>,
  ctx: HandlerContext<State, Principal>,
  turn: Pick<Turn, 'writing' | 'transaction'>,
  reply: Reply,
): Reply {
  const { operationId } = ctx.operation;
  plugin.afterHandler?.(ctx, reply);
  const { transaction } = turn;
  if (!transaction) return reply;
  if (!turn.writing && transaction.writes)
    throw new StandinBug('unlisted-writing-read', ctx.request.method, operationId);
  reply.body = transaction.plain(reply.body);
  return reply;
}
