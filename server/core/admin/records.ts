/**
 * The state browser's admin routes, shared by the console's State tab and scripts: an API's collections and values,
 * the records of a collection, and one record to read, replace or delete. A change is checked whole by the API's
 * validateState before it is stored; one that fails is a 400 naming the problems and stores nothing. What the
 * state schema hides (state-browser.ts) is never listed; the whole state stays at GET /state, the snapshot.
 */
import type { Request, Response, Router } from 'express';
import type { MountedApi } from '../pipeline/mount.ts';
import type { Sandbox, SandboxStore } from '../sandbox/store.ts';
import { AdminError } from './admin-error.ts';
import {
  listRecords,
  outlineOf,
  readRecord,
  RecordError,
  visible,
  withRecord,
  type Collection,
  type StateOutline,
} from './state-browser.ts';

interface AdminContext {
  apis: MountedApi[];
  store: SandboxStore;
  route: (fn: (req: Request, res: Response) => unknown) => (req: Request, res: Response) => Promise<void>;
  existingSandbox: (req: Request) => Promise<Sandbox>;
  writableSandbox: (req: Request) => Promise<Sandbox>;
}

const outlines = new WeakMap<MountedApi, StateOutline>();

function outlineOfApi(api: MountedApi): StateOutline {
  let outline = outlines.get(api);
  if (!outline) {
    outline = outlineOf(api.plugin.validateState?.schema());
    outlines.set(api, outline);
  }
  return outline;
}

export function recordRoutes(admin: Router, { apis, store, route, existingSandbox, writableSandbox }: AdminContext) {
  const apiOf = (req: Request): MountedApi => {
    const api = apis.find((a) => a.plugin.name === req.params.api);
    if (!api)
      throw new AdminError(
        404,
        `no API ${req.params.api}: this Standin serves ${apis.map((a) => a.plugin.name).join(', ')}`,
      );
    return api;
  };
  const collectionOf = (req: Request, api: MountedApi): Collection => {
    const { collections } = outlineOfApi(api);
    const collection = collections.find((c) => c.name === req.params.collection);
    if (!collection)
      throw new AdminError(
        404,
        `${api.plugin.name}'s state has no collection ${req.params.collection} (it has ${collections.map((c) => c.name).join(', ')})`,
      );
    return collection;
  };
  const pathOf = (req: Request): string[] =>
    req.params.group === undefined
      ? [String(req.params.record)]
      : [String(req.params.group), String(req.params.record)];
  const sliceOf = (sandbox: Sandbox, api: MountedApi): unknown => sandbox.state.apis[api.plugin.name];
  const readable = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof RecordError) throw new AdminError(error.status, error.message);
      throw error;
    }
  };

  /** Checks the API's state with the change made, then stores it; the sandbox is untouched when the check fails. */
  const change = async (req: Request, given: unknown): Promise<unknown> => {
    const api = apiOf(req);
    const collection = collectionOf(req, api);
    const sandbox = await writableSandbox(req);
    // After the request that holds the sandbox's turn: its writes are neither half-seen nor undone by this one.
    while (sandbox.turn) await sandbox.turn;
    const path = pathOf(req);
    const changed = readable(() => withRecord(sliceOf(sandbox, api), collection, path, given));
    const problems = api.plugin.validateState?.(changed) ?? [];
    if (problems.length)
      throw new AdminError(
        400,
        `the change does not fit ${api.plugin.name}'s state, nothing was stored: ${problems[0]}`,
        problems,
      );
    await store.restore(sandbox.id, { ...sandbox.state, apis: { ...sandbox.state.apis, [api.plugin.name]: changed } });
    return given === undefined ? undefined : readRecord(changed, collection, path);
  };

  admin.get(
    '/sandboxes/:id/state/:api',
    route(async (req) => {
      const api = apiOf(req);
      const slice = sliceOf(await existingSandbox(req), api) as Record<string, unknown>;
      const { main, collections, values } = outlineOfApi(api);
      return {
        api: api.plugin.name,
        main,
        collections: collections.map((c) => ({ ...c, count: listRecords(slice, c).length })),
        values: Object.fromEntries(values.map((v) => [v.name, visible(slice[v.name], v.hiddenFields)])),
      };
    }),
  );
  admin.get(
    '/sandboxes/:id/state/:api/:collection',
    route(async (req) => {
      const api = apiOf(req);
      const collection = collectionOf(req, api);
      return { collection, records: listRecords(sliceOf(await existingSandbox(req), api), collection) };
    }),
  );
  for (const path of [
    '/sandboxes/:id/state/:api/:collection/:record',
    '/sandboxes/:id/state/:api/:collection/:group/:record',
  ]) {
    admin.get(
      path,
      route(async (req) => {
        const api = apiOf(req);
        const collection = collectionOf(req, api);
        const slice = sliceOf(await existingSandbox(req), api);
        return readable(() => readRecord(slice, collection, pathOf(req)));
      }),
    );
    admin.put(
      path,
      route(async (req) => {
        if (req.body === undefined) throw new AdminError(400, 'the body must be the record, as JSON');
        return change(req, req.body);
      }),
    );
    admin.delete(
      path,
      route(async (req, res) => {
        await change(req, undefined);
        res.status(204).end();
      }),
    );
  }
}
