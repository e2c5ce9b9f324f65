#!/usr/bin/env node
/**
 * The package's compiled form in dist/, built by `prepare` (npm install in a checkout, npm pack, an install from
 * git) and by `npm start` after an edit: the CLI (dist/standin.js) and the package's entry points (dist/index.js
 * with dist/index.d.ts) as JavaScript bundled by esbuild, so nothing loads TypeScript at run time. Dependencies
 * stay external.
 *
 * Modules find their files (contracts, fixtures, state schemas, the console) relative to their own URL: in the
 * bundle each keeps the URL of its source file, relative to the bundle's, so the package ships contracts/,
 * fixtures/ and server/ beside dist/. Every output file sits directly in dist/ for that reason.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const dist = join(root, 'dist');
/** The package's entry points (its `exports`), each with its declaration file, by output name. */
const entries = { index: 'server/start-standin.ts', msw: 'server/msw.ts' };
const cli = { standin: 'scripts/standin.ts' };
// Which sources the JavaScript was built from, for `npm start` to rebuild after an edit. Kept out of dist/ (not
// shipped); one per checkout, as worktrees may share node_modules.
const manifest = join(
  root,
  `node_modules/.cache/standin/dist-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`,
);

const stamp = (file) => {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
};

/** True when dist/ was built from the sources as they are now. */
export function distIsFresh() {
  try {
    const inputs = JSON.parse(readFileSync(manifest, 'utf8'));
    return Object.entries(inputs).every(([file, was]) => stamp(join(root, file)) === was);
  } catch {
    return false;
  }
}

const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = relative(dist, args.path).split('\\').join('/');
      return {
        contents: readFileSync(args.path, 'utf8')
          .replace(/^#!.*/, '') // the CLI's own (tsx): scripts/bin.mjs starts the bundle
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(source)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

/** Builds dist/: the bundle and the declaration files, made aside then swapped in (starts may run side by side). */
export async function buildDist() {
  const temporary = `${dist}.${process.pid}.tmp`;
  const previous = `${dist}.${process.pid}.old`;
  try {
    const inputs = await bundle(temporary);
    await writeDeclarations(temporary);
    // Two renames, not a removal then a rename: a start reading dist/ meanwhile finds one build or the other.
    try {
      renameSync(dist, previous);
    } catch {
      // no build yet
    }
    try {
      renameSync(temporary, dist);
    } catch {
      // another build took its place meanwhile
    }
    mkdirSync(join(manifest, '..'), { recursive: true });
    writeFileSync(manifest, JSON.stringify(Object.fromEntries(inputs.map((file) => [file, stamp(join(root, file))]))));
  } finally {
    rmSync(previous, { recursive: true, force: true });
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** The JavaScript of the entry points and the CLI in outdir; answers the source files it was made from. */
async function bundle(outdir) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { ...entries, ...cli },
    absWorkingDir: root,
    bundle: true,
    // The commands other than serve import their modules (Prism, faker, vitest's runner) when they run: own chunks.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    metafile: true,
    logLevel: 'warning',
    plugins: [ownImportMetaUrl],
  });
  return Object.keys(result.metafile.inputs);
}

/**
 * Each entry point's declaration file from that file alone (TypeScript's isolated declarations): an entry declares
 * its public types itself, so its declaration file imports nothing of the package's own.
 */
async function writeDeclarations(outdir) {
  const { default: ts } = await import('typescript');
  for (const [name, entry] of Object.entries(entries)) {
    const file = join(root, entry);
    const { outputText, diagnostics } = ts.transpileDeclaration(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true },
    });
    if (diagnostics?.length)
      throw new Error(
        `${entry}: ${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' })}`,
      );
    const ownImport = outputText.match(/from ['"](\.[^'"]*)['"]/);
    if (ownImport)
      throw new Error(`${entry}: its declarations import ${ownImport[1]}; declare the public types in that file`);
    writeFileSync(join(outdir, `${name}.d.ts`), outputText);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildDist();
  console.log(`standin: dist/ built in ${Math.round(performance.now() - started)} ms`);
}
