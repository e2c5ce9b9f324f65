#!/usr/bin/env node
/**
 * `npm start`: runs scripts/standin.ts as JavaScript bundled by esbuild, not through tsx (which spent about half a
 * second of every start loading TypeScript). The bundle is kept under node_modules/.cache/standin/build/ and built
 * again, in about a third of a second, whenever one of its sources changed (or on the first start).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// One build per checkout: worktrees can share node_modules.
const outdir = fileURLToPath(new URL(`../node_modules/.cache/standin/build/${createHash('sha256').update(root).digest('hex').slice(0, 16)}/`, import.meta.url));
const manifest = join(outdir, 'inputs.json');

const stamp = (file) => {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
};

function fresh() {
  try {
    const inputs = JSON.parse(readFileSync(manifest, 'utf8'));
    return Object.entries(inputs).every(([file, was]) => stamp(file) === was);
  } catch {
    return false;
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  const temporary = `${outdir.replace(/\/$/, '')}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: ['scripts/standin.ts'],
    absWorkingDir: root,
    bundle: true,
    // Commands other than serve import their modules (Prism, faker, vitest's runner) when they run: own chunks.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: temporary,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        // Modules find their files (contracts, fixtures, the console) relative to themselves: each keeps its own URL.
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [join(root, file), stamp(join(root, file))]));
  writeFileSync(join(temporary, 'inputs.json'), JSON.stringify(inputs));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, '..'), { recursive: true });
  try {
    renameSync(temporary, outdir);
  } catch {
    // another start built it meanwhile
    rmSync(temporary, { recursive: true, force: true });
  }
}

// Under `npm start` (which runs this with exec, so npm's signals reach it) the server also ends when npm is gone,
// killed by a signal it cannot pass on: a CI script's `kill -9` must not leave the port taken.
if (process.env.npm_lifecycle_event === 'start') {
  const npm = process.ppid;
  setInterval(() => process.ppid !== npm && process.kill(process.pid, 'SIGTERM'), 500).unref();
}

if (!fresh()) await rebuild();
await import(pathToFileURL(join(outdir, 'standin.mjs')).href);
