import express, { type Request, type Response } from 'express';
import { FaultError, type FaultStore } from '../faults.ts';
import { entryOf } from '../records.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../validator/request.ts';
import type { MountedApi } from '../pipeline/mount.ts';
import { readView } from '../plugin.ts';
import {
  addDuration,
  CLOCK_RANGE,
  clockNow,
  realTime,
  setClock,
  withinClockRange,
  type ClockState,
} from '../sandbox/clock.ts';
import {
  DEFAULT_SANDBOX,
  isSandboxId,
  type Sandbox,
  SandboxUnavailable,
  type SandboxStore,
  type StoredSandbox,
} from '../sandbox/store.ts';
import { journalRoutes } from './journal-routes.ts';
import { JournalStreams } from './journal-stream.ts';
import { AdminError } from './admin-error.ts';
import { recordRoutes } from './records.ts';
import { checkedSnapshot, SnapshotError } from './snapshot.ts';

function describe(sandbox: Sandbox) {
  return {
    id: sandbox.id,
    now: sandbox.now().toISOString(),
    journalEntries: sandbox.journal.size,
    lastUsed: new Date(sandbox.lastUsed).toISOString(),
  };
}

/** A sandbox of the shared store: as this server has it in memory, else as the store lists it. */
function describeStored(stored: StoredSandbox, inMemory: Sandbox | undefined) {
  if (inMemory) return describe(inMemory);
  return {
    id: stored.id,
    now: stored.clock ? clockNow(stored.clock).toISOString() : null,
    journalEntries: 0,
    lastUsed: stored.writtenAt ?? null,
  };
}

function clockView(sandbox: Sandbox) {
  const { clock } = sandbox.state;
  return { now: clockNow(clock).toISOString(), frozen: clock.frozenAt !== null, offsetMs: clock.offsetMs };
}

function parseDate(value: unknown, field: string): Date {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new AdminError(400, `${field} must be an ISO-8601 date-time`);
  return date;
}

/** The clock showing `to` (frozen there or running from there), when `to` is one a clock may show. */
function clockAt(to: Date, freeze: boolean, field: string): ClockState {
  if (!withinClockRange(to)) throw new AdminError(400, `${field} would put the clock outside ${CLOCK_RANGE}`);
  return setClock(to, freeze);
}

/** `now` moved by an ISO-8601 duration or a number of milliseconds (negative moves it back). */
function advanced(now: Date, advance: unknown): Date {
  if (typeof advance === 'number' && Number.isFinite(advance)) return new Date(now.getTime() + advance);
  if (typeof advance !== 'string')
    throw new AdminError(400, 'advance must be an ISO-8601 duration or a finite number of milliseconds');
  try {
    return addDuration(now, advance);
  } catch (error) {
    throw new AdminError(400, `advance: ${(error as Error).message} (e.g. "P30D", "PT1H") or milliseconds`);
  }
}

interface ClockCommand {
  set?: unknown;
  advance?: unknown;
  freeze?: boolean;
  reset?: boolean;
}

const CLOCK_COMMANDS = ['set', 'advance', 'freeze', 'reset'];

function clockCommand(body: unknown): ClockCommand {
  const usage = 'give "set" (date-time), "advance" (duration or ms), "freeze" (boolean) or "reset": true';
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AdminError(400, `the body must be a JSON object: ${usage}`);
  const command = body as Record<string, unknown>;
  const unknown = Object.keys(command).filter((key) => !CLOCK_COMMANDS.includes(key));
  if (unknown.length) throw new AdminError(400, `${unknown.join(', ')}: not a clock command; ${usage}`);
  for (const flag of ['freeze', 'reset'])
    if (command[flag] !== undefined && typeof command[flag] !== 'boolean')
      throw new AdminError(400, `${flag} must be true or false`);
  if (
    command.set === undefined &&
    command.advance === undefined &&
    command.freeze === undefined &&
    command.reset !== true
  )
    throw new AdminError(400, usage);
  return command as ClockCommand;
}

/** The admin API under /__standin/: health, sandboxes, reset, snapshot/restore, records (records.ts), clock, journal. */
export function adminRoutes(
  store: SandboxStore,
  apis: MountedApi[],
  startedAt: number,
  faults?: FaultStore,
  journalStreams = new JournalStreams(),
): express.Router {
  const admin = express.Router({ strict: false });
  // A snapshot nests a body's 64 levels below a few of its own: anything deeper could not be serialised again.
  const verify = (_req: unknown, _res: unknown, body: Buffer) => {
    if (nestsDeeperThan(body, 2 * MAX_JSON_DEPTH))
      throw Object.assign(new Error(`the body nests arrays and objects deeper than ${2 * MAX_JSON_DEPTH} levels`), {
        status: 400,
      });
  };
  admin.use(express.json({ limit: '50mb', verify }));

  const idOf = (req: Request): string => {
    const id = String(req.params.id);
    if (!isSandboxId(id)) throw new AdminError(400, 'sandbox id must be 1-64 letters, digits, ".", "_" or "-"');
    return id;
  };
  /** For admin writes: the sandbox, created from the fixtures if new. */
  const sandboxOf = async (req: Request): Promise<Sandbox> => store.get(idOf(req));
  /** For admin reads: a sandbox that exists (the default one always does); reading never creates one. */
  const existingSandbox = async (req: Request): Promise<Sandbox> => {
    const id = idOf(req);
    const sandbox = id === DEFAULT_SANDBOX ? await store.get(id) : await store.find(id);
    if (!sandbox)
      throw new AdminError(404, `no sandbox ${id}: a sandbox is made by its first API request or an admin write`);
    return sandbox;
  };
  /** Admin writes, like API writes, wait while the sandbox's changes cannot be saved. */
  const refuseUnsaved = (sandbox: Sandbox | undefined): void => {
    if (sandbox?.unsaved)
      throw new AdminError(
        503,
        `sandbox ${sandbox.id} cannot be saved (${sandbox.unsaved.reason}); writes are refused until it can`,
      );
  };
  const writableSandbox = async (req: Request): Promise<Sandbox> => {
    const sandbox = await sandboxOf(req);
    refuseUnsaved(sandbox);
    return sandbox;
  };
  const route =
    (fn: (req: Request, res: Response) => Promise<unknown> | unknown) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        const body = await fn(req, res);
        if (!res.headersSent) res.json(body);
      } catch (error) {
        if (error instanceof SandboxUnavailable) {
          if (error.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.retryAfterSeconds));
          return void res.status(503).json({ error: error.message });
        }
        if (!(error instanceof AdminError)) return void res.status(500).json({ error: (error as Error).message });
        res
          .status(error.status)
          .json(error.problems ? { error: error.message, problems: error.problems } : { error: error.message });
      }
    };

  admin.get(
    '/health',
    route(() => {
      const unsaved = store.unsaved().map((s) => ({ sandbox: s.id, ...s.unsaved! }));
      const unreachable = store.degraded();
      return {
        status: unsaved.length || unreachable ? 'degraded' : 'ok',
        ...(unreachable && { reason: unreachable }),
        ...(unsaved.length && {
          reason: `${unsaved.length} sandbox(es) cannot be saved: their writes are refused (503) until a retry succeeds`,
          unsaved,
        }),
        apis: apis.map((a) => ({
          name: a.plugin.name,
          title: a.plugin.title,
          operations: a.contract.operations.length,
          mountedAt: `/${a.plugin.name}`,
        })),
        sandboxes: store.list().length,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      };
    }),
  );

  admin.get(
    '/sandboxes',
    route(async () => {
      const stored = await store.listShared();
      return stored ? stored.map((s) => describeStored(s, store.peek(s.id))) : store.list().map(describe);
    }),
  );
  admin.get(
    '/sandboxes/:id',
    route(async (req) => describe(await existingSandbox(req))),
  );
  admin.delete(
    '/sandboxes/:id',
    route(async (req, res) => {
      if (!(await store.remove(String(req.params.id)))) throw new AdminError(404, 'no such sandbox');
      faults?.clear(String(req.params.id));
      res.status(204).end();
    }),
  );
  admin.post(
    '/sandboxes/:id/reset',
    route(async (req) => {
      // Not read first: a sandbox whose saved state is corrupt is reset too. Only one in memory can be unsaved.
      const id = idOf(req);
      refuseUnsaved(store.peek(id));
      const sandbox = await store.reset(id);
      faults?.clear(id);
      await faults?.saved(id);
      return describe(sandbox);
    }),
  );

  // Fault rules (server/core/faults.ts): per sandbox, in memory (and the shared store); a reset or delete clears them.
  if (faults) {
    admin.get(
      '/sandboxes/:id/faults',
      route(async (req) => faults.list((await existingSandbox(req)).id)),
    );
    admin.post(
      '/sandboxes/:id/faults',
      route(async (req, res) => {
        const sandbox = await sandboxOf(req);
        try {
          const rule = faults.add(sandbox.id, req.body);
          await faults.saved(sandbox.id);
          res.status(201).json(rule);
        } catch (error) {
          if (error instanceof FaultError) throw new AdminError(400, error.message);
          throw error;
        }
      }),
    );
    admin.delete(
      '/sandboxes/:id/faults',
      route(async (req) => {
        const { id } = await existingSandbox(req);
        const removed = faults.clear(id);
        await faults.saved(id);
        return { removed };
      }),
    );
    admin.delete(
      '/sandboxes/:id/faults/:rule',
      route(async (req, res) => {
        const { id } = await existingSandbox(req);
        if (!faults.remove(id, String(req.params.rule))) throw new AdminError(404, 'no such fault rule');
        await faults.saved(id);
        res.status(204).end();
      }),
    );
  }

  admin.get(
    '/sandboxes/:id/state',
    route(async (req) => (await existingSandbox(req)).state),
  );
  admin.put(
    '/sandboxes/:id/state',
    route(async (req) => {
      const sandbox = await writableSandbox(req);
      try {
        return describe(await store.restore(sandbox.id, checkedSnapshot(req.body, apis, sandbox.state.clock)));
      } catch (error) {
        if (error instanceof SnapshotError) throw new AdminError(400, error.message, error.problems);
        throw error;
      }
    }),
  );

  recordRoutes(admin, { apis, store, route, existingSandbox, writableSandbox });

  admin.get(
    '/sandboxes/:id/clock',
    route(async (req) => clockView(await existingSandbox(req))),
  );
  admin.post(
    '/sandboxes/:id/clock',
    route(async (req) => {
      const sandbox = await writableSandbox(req);
      const command = clockCommand(req.body);
      let clock = command.reset ? realTime() : sandbox.state.clock;
      const freeze = command.freeze ?? clock.frozenAt !== null;
      if (command.set !== undefined) clock = clockAt(parseDate(command.set, 'set'), freeze, 'set');
      else if (command.freeze !== undefined) clock = setClock(clockNow(clock), freeze);
      if (command.advance !== undefined)
        clock = clockAt(advanced(clockNow(clock), command.advance), clock.frozenAt !== null, 'advance');
      sandbox.state.clock = clock;
      sandbox.changed();
      await sandbox.settled();
      return clockView(sandbox);
    }),
  );

  journalRoutes(admin, { store, existingSandbox, route, streams: journalStreams });

  admin.get(
    '/sandboxes/:id/apis/:api/:view',
    route(async (req) => {
      const sandbox = await existingSandbox(req);
      const api = apis.find((a) => a.plugin.name === req.params.api);
      const view = entryOf(api?.plugin.adminViews, String(req.params.view));
      if (!api || !view) throw new AdminError(404, `no view ${req.params.api}/${req.params.view}`);
      return readView(view)(sandbox.state.apis[api.plugin.name]);
    }),
  );

  admin.use((_req, res) => {
    res.status(404).json({ error: 'no such admin route' });
  });
  admin.use((error: Error & { status?: number }, _req: Request, res: Response, _next: express.NextFunction) => {
    res.status(error.status && error.status < 500 ? error.status : 400).json({ error: error.message });
  });
  return admin;
}
