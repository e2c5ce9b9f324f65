/**
 * The web console (GET /__standin/, assets under /__standin/console/) and the API reference pages
 * (GET /__standin/docs/<api>, Redoc's standalone bundle served from node_modules). Plain HTML, JS and CSS in
 * this folder, no build step and nothing fetched from a CDN. The admin JSON API stays in core/admin/routes.ts;
 * this router answers only its own paths and passes everything else on.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { MountedApi } from '../core/pipeline/mount.ts';
import { addDocsRoutes } from './docs.ts';
import { type StartView, startView } from './getting-started.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The console's own scripts and styles (a module per tab), and nothing else of this folder (its sources stay private). */
const CONSOLE_ASSETS = readdirSync(here).filter((file) => /^[\w-]+\.(?:js|css)$/.test(file));

/** The console runs only its own script and style; Redoc's pages need inline styles (it injects them) and a worker. */
const CONSOLE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; frame-ancestors 'none'";

/** What the console needs to know of the mounted APIs: operations (for fault rules) and admin views (outbox). */
function apisView(apis: MountedApi[]) {
  return apis.map((a) => ({
    name: a.plugin.name,
    title: a.plugin.title,
    operations: a.contract.operations.map((o) => ({
      operationId: o.operationId,
      method: o.method.toUpperCase(),
      path: o.path,
    })),
    views: Object.entries(a.plugin.adminViews ?? {}).map(([name, view]) => ({
      name,
      about: typeof view === 'function' ? undefined : view.about,
    })),
  }));
}

export function consoleRoutes(apis: MountedApi[]): express.Router {
  const router = express.Router({ strict: true });
  const page = (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONSOLE_POLICY);
    res.sendFile(join(here, 'index.html'));
  };
  router.get('/', (req, res) =>
    req.originalUrl.split('?')[0]!.endsWith('/') ? page(req, res) : res.redirect(301, '/__standin/'),
  );
  router.get('/console', (_req, res) => res.redirect(301, '/__standin/'));
  router.get('/console/apis.json', (_req, res) => res.json(apisView(apis)));
  let starts: StartView[] | undefined;
  router.get('/console/getting-started.json', (_req, res) => {
    starts ??= apis.flatMap((a) => startView(a) ?? []);
    res.json(starts);
  });
  for (const asset of CONSOLE_ASSETS)
    router.get(`/console/${asset}`, (_req, res) =>
      res.sendFile(join(here, asset), { headers: { 'Cache-Control': 'no-cache' } }),
    );

  router.use('/docs', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', DOCS_POLICY);
    next();
  });
  addDocsRoutes(router, apis);
  return router;
}
