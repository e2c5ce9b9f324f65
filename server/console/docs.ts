/**
 * The API reference pages: an index of the served APIs (GET /__standin/docs), a Redoc page per API
 * (/__standin/docs/<api>) and the contract it renders (/__standin/docs/<api>/openapi.json: this server first among
 * the servers, fixture values as examples). Redoc's standalone bundle comes from node_modules with its one
 * internet address, the Redocly logo, replaced by a local image: the pages load nothing from outside this server.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { MountedApi } from '../core/pipeline/mount.ts';
import { fixtureValuesByName, withFixtureExamples } from './fixture-examples.ts';

const here = dirname(fileURLToPath(import.meta.url));
const redocBundle = join(
  dirname(createRequire(import.meta.url).resolve('redoc/package.json')),
  'bundles',
  'redoc.standalone.js',
);
const REDOCLY_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
/** An empty image in the logo's place: the footer keeps its "API docs by Redocly" link. */
const NO_LOGO = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E';

/** Redoc's bundle without its internet address; a Redoc that moved the logo fails here, not in a user's browser. */
function offlineRedoc(): string {
  const bundle = readFileSync(redocBundle, 'utf8');
  if (!bundle.includes(REDOCLY_LOGO)) throw new Error(`Redoc's bundle no longer loads ${REDOCLY_LOGO}: check it`);
  return bundle.replaceAll(REDOCLY_LOGO, NO_LOGO);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function bar(api?: MountedApi): string {
  const parts = ['<a href="/__standin/">console</a>', '<a href="/__standin/docs">API reference</a>'];
  if (api) {
    const name = escapeHtml(api.plugin.name);
    parts.push(
      `contract <code>contracts/${name}/openapi.yaml</code>, version ${escapeHtml(api.contract.document.info.version)}`,
      `<a href="/__standin/docs/${name}/openapi.json">openapi.json</a>`,
      `served at <code>/${name}</code>`,
    );
  }
  return `<div class="standin-bar"><strong>Standin</strong> · ${parts.join(' · ')}</div>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/__standin/docs/docs.css">
</head>
<body>
${body}
</body>
</html>`;
}

function referencePage(api: MountedApi): string {
  const name = escapeHtml(api.plugin.name);
  return page(
    `${api.plugin.title} — Standin API reference`,
    `${bar(api)}
<div id="redoc" data-spec-url="/__standin/docs/${name}/openapi.json"></div>
<script src="/__standin/docs/redoc.standalone.js"></script>
<script type="module" src="/__standin/docs/docs.js"></script>`,
  );
}

/** The first sentence of the contract's description: what the API is, in a line. */
function firstSentence(text = ''): string {
  const sentence = /^[\s\S]*?\.(\s|$)/.exec(text.trim())?.[0] ?? text;
  return sentence.replace(/\s+/g, ' ').trim();
}

function indexPage(apis: MountedApi[]): string {
  const cards = apis.map((a) => {
    const name = escapeHtml(a.plugin.name);
    const operations = a.contract.operations.length;
    return `<li class="card">
<h2><a class="title" href="/__standin/docs/${name}">${escapeHtml(a.plugin.title)}</a></h2>
<p>${escapeHtml(firstSentence(a.contract.document.info.description))}</p>
<p class="meta"><code>/${name}</code> · ${operations} operations · contract version ${escapeHtml(a.contract.document.info.version)}</p>
<p class="links"><a class="button" href="/__standin/docs/${name}">API reference</a> <a class="button" href="/__standin/docs/${name}/openapi.json">openapi.json</a></p>
</li>`;
  });
  return page(
    'Standin API reference',
    `${bar()}
<main class="docs-index">
<h1>API reference</h1>
<p class="lead">Every API this Standin serves, rendered from its contract. Samples show values from the fixtures;
the console's <a href="/__standin/#apis">APIs tab</a> has the credentials and a first request to copy.</p>
<ul class="cards" data-testid="docs-index">${cards.join('\n')}</ul>
</main>`,
  );
}

/** The contract with fixture values as examples, made once per API (the contract and fixtures do not change). */
function documentWithExamples(api: MountedApi): OpenAPIV3_1.Document {
  const fixtures = api.plugin.fixtures();
  const samples = api.plugin.gettingStarted?.(fixtures).samples;
  return withFixtureExamples(api.contract.document, fixtureValuesByName([samples, fixtures]));
}

export function addDocsRoutes(router: express.Router, apis: MountedApi[]): void {
  let bundle: string | undefined;
  const documents = new Map<string, OpenAPIV3_1.Document>();
  const find = (name: string | string[] | undefined) => apis.find((a) => a.plugin.name === name);

  router.get('/docs', (_req, res) => res.type('html').send(indexPage(apis)));
  router.get('/docs/', (_req, res) => res.redirect(301, '/__standin/docs'));
  router.get('/docs/redoc.standalone.js', (_req, res) => {
    bundle ??= offlineRedoc();
    res.type('js').setHeader('Cache-Control', 'max-age=3600').send(bundle);
  });
  for (const asset of ['docs.js', 'docs.css'])
    router.get(`/docs/${asset}`, (_req, res) =>
      res.sendFile(join(here, asset), { headers: { 'Cache-Control': 'no-cache' } }),
    );
  router.get('/docs/:api', (req, res, next) => {
    const api = find(req.params.api);
    if (!api) return next();
    res.type('html').send(referencePage(api));
  });
  router.get('/docs/:api/openapi.json', (req, res, next) => {
    const api = find(req.params.api);
    if (!api) return next();
    let document = documents.get(api.plugin.name);
    if (!document) documents.set(api.plugin.name, (document = documentWithExamples(api)));
    res.json({
      ...document,
      servers: [
        { url: `${req.protocol}://${req.get('host')}/${api.plugin.name}`, description: 'this Standin' },
        ...(document.servers ?? []),
      ],
    });
  });
}
