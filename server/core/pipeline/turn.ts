/**
 * The turn stage: the requests of a sandbox that may write run from authentication to their answer one at a time,
 * in a transaction that the request's failure rolls back. A handler that awaits (signing a token) must neither see
 * another request's writes half-done nor undo them with its own. Reads wait for the request that holds the turn.
 */
import { coreErrors, StandinBug } from '../errors.ts';
import type { ApiPlugin } from '../plugin.ts';
import { beginNamedWrites, refusingWriter, type StateWriter, writerThrough } from '../sandbox/named-writes.ts';
import type { Sandbox } from '../sandbox/store.ts';
import { beginTransaction, type Transaction } from '../sandbox/transaction.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const READS = new Set(['GET', 'HEAD']);

/** Whether a request may write to the state: every method but GET and HEAD, and the plugin's writing reads. */
export function mayWrite(plugin: ApiPlugin, method: string, operationId: string): boolean {
  return !READS.has(method) || plugin.writingReads === 'all' || (plugin.writingReads?.includes(operationId) ?? false);
}

export interface TurnOptions {
  /** Run reads in a transaction too, so that one that writes is caught (see PipelineOptions.guardReads). */
  guardReads: boolean;
  beforeWrite?: () => void;
}

export interface Turn {
  /** The request may write (mayWrite). */
  writing: boolean;
  /** Open while the request holds the sandbox's turn; none for a read that is not guarded. */
  transaction?: Transaction<object>;
  /** The state the request reads: the transaction's, or the sandbox's as it is. */
  state: object;
  /** How the request writes to `state` (ctx.write). */
  writer: StateWriter<object>;
  end?: () => void;
}

function takeTurn(sandbox: Sandbox): () => void {
  let release!: () => void;
  sandbox.turn = new Promise<void>((resolve) => (release = resolve));
  return () => {
    sandbox.turn = undefined;
    release();
  };
}

/**
 * Takes the sandbox's turn when the request may write, at once when no other request holds it (a promise when it
 * must wait); 503 for a write the sandbox cannot save.
 */
export function enterTurn(
  sandbox: Sandbox,
  plugin: ApiPlugin,
  method: string,
  operationId: string,
  options: TurnOptions,
): Turn | Promise<Turn> {
  if (sandbox.unsaved && !SAFE_METHODS.has(method))
    throw coreErrors['sandbox-unsaved'](plugin.errors, sandbox.id, sandbox.unsaved.reason);
  return sandbox.turn
    ? turnAfterOthers(sandbox, plugin, method, operationId, options)
    : turnOf(sandbox, plugin, method, operationId, options);
}

async function turnAfterOthers(
  sandbox: Sandbox,
  plugin: ApiPlugin,
  method: string,
  operationId: string,
  options: TurnOptions,
): Promise<Turn> {
  // Checked again right after each wake-up, with no await before the turn is taken: of the requests woken by
  // one turn's end, the first takes the next turn and the others wait for it.
  while (sandbox.turn) await sandbox.turn;
  return turnOf(sandbox, plugin, method, operationId, options);
}

function turnOf(sandbox: Sandbox, plugin: ApiPlugin, method: string, operationId: string, options: TurnOptions): Turn {
  const writing = mayWrite(plugin, method, operationId);
  const root = sandbox.state.apis[plugin.name] as object;
  if (!writing && !options.guardReads)
    return {
      writing,
      state: root,
      writer: plugin.namedWrites
        ? refusingWriter(() => new StandinBug('unlisted-writing-read', method, operationId))
        : writerThrough(root),
    };
  const end = takeTurn(sandbox);
  const { beforeWrite } = options;
  if (plugin.namedWrites) {
    const directWrite = options.guardReads ? () => new StandinBug('direct-write', plugin.name, operationId) : undefined;
    const transaction = beginNamedWrites(root, { beforeWrite, directWrite });
    return { writing, end, transaction, state: transaction.state, writer: transaction.writer() };
  }
  const transaction = beginTransaction(root, { beforeWrite });
  return { writing, end, transaction, state: transaction.state, writer: writerThrough(transaction.state) };
}

/**
 * Commits the request's writes (rolls them back when it failed) and gives the turn to the next request once the
 * writes are stored: at once (undefined) but in a shared store, where the promise rejects when they could not be.
 */
export function leaveTurn(turn: Turn | undefined, sandbox: Sandbox, failed: boolean): Promise<void> | undefined {
  if (!turn?.transaction) return undefined;
  let saving: Promise<void> | undefined;
  try {
    const written = failed ? turn.transaction.rollback() : turn.transaction.commit();
    if (written && !failed) {
      sandbox.changed();
      saving = sandbox.settled();
    }
  } catch (error) {
    saving = Promise.reject(error);
  }
  if (!saving) turn.end!();
  return saving?.finally(turn.end!);
}
