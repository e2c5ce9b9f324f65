/**
 * The web console (GET /__standin/, assets under /__standin/console/) and the API reference pages
 * (GET /__standin/docs/<api>, Redoc's standalone bundle served from node_modules). Plain HTML, JS and CSS in
 * this folder, no build step and nothing fetched from a CDN. The admin JSON API stays in core/admin/routes.ts;
 * this router answers only its own paths and passes everything else on.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { MountedApi } from '../core/pipeline/mount.ts';

const here = dirname(fileURLToPath(import.meta.url));
const redocBundle = join(
  dirname(createRequire(import.meta.url).resolve('redoc/package.json')),
  'bundles',
  'redoc.standalone.js',
);

/** The console's own scripts and styles (a module per tab), and nothing else of this folder (its sources stay private). */
const CONSOLE_ASSETS = readdirSync(here).filter((file) => /^[\w-]+\.(?:js|css)$/.test(file));

/** The console runs only its own script and style; Redoc's pages need inline styles (it injects them) and a worker. */
const CONSOLE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function docsPage(api: MountedApi): string {
  const name = api.plugin.name;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(api.plugin.title)} — Standin API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0} .standin-bar{font:14px system-ui,sans-serif;padding:6px 12px;background:#1f2937;color:#e5e7eb} .standin-bar a{color:#93c5fd}</style>
</head>
<body>
<div class="standin-bar">Standin · <a href="/__standin/">console</a> · contract <code>contracts/${escapeHtml(name)}/openapi.yaml</code> ·
<a href="/__standin/docs/${escapeHtml(name)}/openapi.json">openapi.json</a> · served at <code>/${escapeHtml(name)}</code></div>
<redoc spec-url="/__standin/docs/${escapeHtml(name)}/openapi.json" hide-download-button></redoc>
<script src="/__standin/docs/redoc.standalone.js"></script>
</body>
</html>`;
}

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
  for (const asset of CONSOLE_ASSETS)
    router.get(`/console/${asset}`, (_req, res) =>
      res.sendFile(join(here, asset), { headers: { 'Cache-Control': 'no-cache' } }),
    );

  router.use('/docs', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', DOCS_POLICY);
    next();
  });
  router.get('/docs', (_req, res) => {
    const links = apis.map(
      (a) =>
        `<li><a href="/__standin/docs/${escapeHtml(a.plugin.name)}">${escapeHtml(a.plugin.title)}</a> (${a.contract.operations.length} operations)</li>`,
    );
    res
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>Standin API reference</title><body style="font:15px system-ui,sans-serif;margin:2em"><h1>API reference</h1><ul>${links.join('')}</ul><p><a href="/__standin/">console</a></p>`,
      );
  });
  router.get('/docs/', (_req, res) => res.redirect(301, '/__standin/docs'));
  router.get('/docs/redoc.standalone.js', (_req, res) =>
    res.sendFile(redocBundle, { headers: { 'Cache-Control': 'max-age=3600' } }),
  );
  router.get('/docs/:api', (req, res, next) => {
    const api = apis.find((a) => a.plugin.name === req.params.api);
    if (!api) return next();
    res.type('html').send(docsPage(api));
  });
  router.get('/docs/:api/openapi.json', (req, res, next) => {
    const api = apis.find((a) => a.plugin.name === req.params.api);
    if (!api) return next();
    // The contract as is, with the mock's own address first among the servers.
    const document = api.contract.document;
    res.json({
      ...document,
      servers: [
        { url: `${req.protocol}://${req.get('host')}/${api.plugin.name}`, description: 'this Standin' },
        ...(document.servers ?? []),
      ],
    });
  });
  return router;
}
