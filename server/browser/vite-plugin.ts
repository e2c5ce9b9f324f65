/**
 * A Vite plugin that lets Standin's core run in a page (msw-browser.ts): the Node built-ins and express it
 * imports resolve to the browser modules in shims/, and its modules' `import.meta.url` is their path from the
 * package root (`file:///fixtures/productive/index.ts`), where the node:fs shim finds the files it bundled.
 * Vite would otherwise make `new URL('./state.json', import.meta.url)` a hashed asset URL in a build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

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

function serveWorkerScript(
  _req: unknown,
  res: { setHeader(name: string, value: string): void; end(body: Buffer): void },
): void {
  res.setHeader('Content-Type', 'text/javascript');
  res.end(readFileSync(WORKER_SCRIPT));
}

export function standinBrowser(): Plugin {
  return {
    name: 'standin-browser',
    enforce: 'pre',
    transform(code, id) {
      // Modules only: not a file imported as text (`?raw`), nor a dependency.
      if (
        !id.startsWith(packageRoot) ||
        id.includes('?') ||
        id.includes('/node_modules/') ||
        !code.includes('import.meta.url')
      )
        return undefined;
      return code.replaceAll('import.meta.url', JSON.stringify(`file:///${relative(packageRoot, id)}`));
    },
    config: () => ({
      resolve: {
        alias: Object.entries(SHIMS).map(([find, replacement]) => ({ find: new RegExp(`^${find}$`), replacement })),
      },
      optimizeDeps: {
        include: [
          'ajv',
          'ajv/dist/2020.js',
          'ajv/dist/standalone/index.js',
          'ajv-formats',
          'ajv-formats/dist/formats.js',
          'buffer',
          'path-browserify',
          'statuses',
          'yaml',
          'lowdb',
        ],
      },
    }),
    // MSW's service worker, at the root so that its scope covers every page.
    configureServer: (server) => void server.middlewares.use('/mockServiceWorker.js', serveWorkerScript),
    configurePreviewServer: (server) => void server.middlewares.use('/mockServiceWorker.js', serveWorkerScript),
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: readFileSync(WORKER_SCRIPT) });
    },
  };
}
