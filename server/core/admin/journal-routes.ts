/**
 * The admin routes of a sandbox's journal: its entries (secrets masked), one entry, its request as curl or fetch
 * (secrets as sent: a replay must authenticate), a binary body's bytes (a PDF), and the live stream.
 */
import type express from 'express';
import type { Request, Response } from 'express';
import { BinaryBody } from '../sandbox/journal.ts';
import type { Sandbox, SandboxStore } from '../sandbox/store.ts';
import { asCurl, asFetch } from './journal-replay.ts';
import type { JournalStreams } from './journal-stream.ts';

type Route = (fn: (req: Request, res: Response) => Promise<unknown> | unknown) => express.RequestHandler;

interface JournalRouteTools {
  store: SandboxStore;
  /** The sandbox named by :id, which must exist (the admin routes' own lookup, answering 400/404 for it). */
  existingSandbox: (req: Request) => Promise<Sandbox>;
  route: Route;
  streams: JournalStreams;
}

const refuse = (res: Response, status: number, error: string) => void res.status(status).json({ error });

function limitOf(req: Request, res: Response): number | undefined | false {
  if (req.query.limit === undefined) return undefined;
  const limit = Number(req.query.limit);
  if (Number.isInteger(limit) && limit >= 0) return limit;
  refuse(res, 400, 'limit must be a whole number');
  return false;
}

/** The origin the admin request reached: where a replay sends the request again. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function journalRoutes(admin: express.Router, tools: JournalRouteTools): void {
  const { existingSandbox, route, streams } = tools;

  /** The entry :seq of the sandbox :id, or undefined once answered 400/404. */
  const entryOf = async (req: Request, res: Response) => {
    const sandbox = await existingSandbox(req);
    const seq = Number(req.params.seq);
    if (!Number.isInteger(seq) || seq < 1) return void refuse(res, 400, 'an entry is named by its seq, a number');
    const entry = sandbox.journal.find(seq);
    if (!entry)
      return void refuse(res, 404, `no entry ${seq} in the journal of ${sandbox.id} (it keeps the last ones)`);
    return { sandbox, entry };
  };

  admin.get(
    '/sandboxes/:id/journal',
    route(async (req, res) => {
      const sandbox = await existingSandbox(req);
      const limit = limitOf(req, res);
      if (limit !== false) return sandbox.journal.last(limit);
    }),
  );
  admin.get(
    '/sandboxes/:id/journal/events',
    route(async (req, res) => {
      const sandbox = await existingSandbox(req);
      const limit = limitOf(req, res);
      if (limit === false) return;
      const current = () => tools.store.peek(sandbox.id) === sandbox;
      if (!streams.open(req, res, sandbox, current, limit ?? 200))
        refuse(res, 503, `${streams.max} journal streams are open already: close a console tab, or read GET …/journal`);
    }),
  );
  admin.get(
    '/sandboxes/:id/journal/:seq',
    route(async (req, res) => (await entryOf(req, res))?.entry),
  );
  for (const [format, build] of [
    ['curl', asCurl],
    ['fetch', asFetch],
  ] as const)
    admin.get(
      `/sandboxes/:id/journal/:seq/${format}`,
      route(async (req, res) => {
        const found = await entryOf(req, res);
        if (found) res.type('text/plain').send(build(found.entry, originOf(req), found.sandbox.id));
      }),
    );
  for (const side of ['request', 'response'] as const)
    admin.get(
      `/sandboxes/:id/journal/:seq/${side}-body`,
      route(async (req, res) => {
        const found = await entryOf(req, res);
        if (!found) return;
        const body = side === 'request' ? found.entry.requestBody : found.entry.responseBody;
        if (!(body instanceof BinaryBody) || !body.bytes)
          return refuse(
            res,
            404,
            `entry ${found.entry.seq} keeps no binary ${side} body (text bodies are in the entry)`,
          );
        const type = found.entry.bodies?.[side]?.contentType ?? 'application/octet-stream';
        // Always a download: served inline, a body could run as a page of the console's origin.
        res
          .type(type)
          .attachment(`${found.sandbox.id}-${found.entry.seq}-${side}${extensionOf(type)}`)
          .send(body.bytes);
      }),
    );
}

const extensionOf = (type: string) => (/^application\/pdf\b/i.test(type) ? '.pdf' : '.bin');
