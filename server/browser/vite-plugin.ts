/**
 * A Vite plugin that lets Standin's core run in a page (msw-browser.ts): the Node built-ins and express it
 * imports resolve to the browser modules in shims/. Serve the page with the project root as Vite's root, so a
 * module's URL is its source path and the contracts and fixtures are found beside it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const shim = (name: string) => fileURLToPath(new URL(`./shims/${name}.ts`, import.meta.url));
const SHIMS: Record<string, string> = {
  'node:fs': shim('fs'),
  'node:fs/promises': shim('fs-promises'),
  'node:crypto': shim('crypto'),
  'node:module': shim('module'),
  'node:url': shim('url'),
  'node:http': shim('http'),
  'node:querystring': shim('querystring'),
  'node:path': createRequire(import.meta.url).resolve('path-browserify'),
  express: shim('express'),
};
const WORKER_SCRIPT = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');

export function standinBrowser(): Plugin {
  return {
    name: 'standin-browser',
    config: () => ({
      resolve: { alias: Object.entries(SHIMS).map(([find, replacement]) => ({ find: new RegExp(`^${find}$`), replacement })) },
      optimizeDeps: {
        include: ['ajv', 'ajv/dist/2020.js', 'ajv/dist/standalone/index.js', 'ajv-formats', 'ajv-formats/dist/formats.js', 'buffer', 'path-browserify', 'statuses', 'yaml', 'lowdb'],
      },
    }),
    // MSW's service worker, at the root so that its scope covers every page.
    configureServer(server) {
      server.middlewares.use('/mockServiceWorker.js', (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(readFileSync(WORKER_SCRIPT));
      });
    },
  };
}
