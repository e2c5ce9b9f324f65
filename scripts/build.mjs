#!/usr/bin/env node
/**
 * The package's compiled form in dist/, built by `prepare` (npm install in a checkout, npm pack, an install from
 * git): the CLI (dist/standin.js) and the entry point (dist/index.js, dist/index.d.ts) as JavaScript bundled by
 * esbuild, so nothing loads TypeScript at run time. Dependencies stay external.
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
const entryPoints = { index: 'server/start-standin.ts', standin: 'scripts/standin.ts' };
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

/** Bundles the JavaScript into dist/ (built aside, then swapped in, as starts may run side by side). */
export async function buildJavaScript() {
  const { build } = await import('esbuild');
  const temporary = `${dist}.${process.pid}.tmp`;
  const result = await build({
    entryPoints,
    absWorkingDir: root,
    bundle: true,
    // The commands other than serve import their modules (Prism, faker, vitest's runner) when they run: own chunks.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: temporary,
    metafile: true,
    logLevel: 'warning',
    plugins: [ownImportMetaUrl],
  });
  const declarations = readDeclarations();
  if (declarations) writeFileSync(join(temporary, 'index.d.ts'), declarations);
  // Two renames, not a removal then a rename: a start reading dist/ meanwhile finds one build or the other.
  const previous = `${dist}.${process.pid}.old`;
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
  rmSync(previous, { recursive: true, force: true });
  rmSync(temporary, { recursive: true, force: true });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(join(root, file))]));
  mkdirSync(join(manifest, '..'), { recursive: true });
  writeFileSync(manifest, JSON.stringify(inputs));
}

function readDeclarations() {
  try {
    return readFileSync(join(dist, 'index.d.ts'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * dist/index.d.ts from the entry point alone (TypeScript's isolated declarations): the public types are declared in
 * server/start-standin.ts, so the declaration file must import nothing of the package's own.
 */
export async function buildTypes() {
  const { default: ts } = await import('typescript');
  const file = join(root, entryPoints.index);
  const { outputText, diagnostics } = ts.transpileDeclaration(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true },
  });
  if (diagnostics?.length)
    throw new Error(
      `${entryPoints.index}: ${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' })}`,
    );
  const ownImport = outputText.match(/from ['"](\.[^'"]*)['"]/);
  if (ownImport)
    throw new Error(
      `${entryPoints.index}: its declarations import ${ownImport[1]}; declare the public types in that file`,
    );
  writeFileSync(join(dist, 'index.d.ts'), outputText);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildJavaScript();
  await buildTypes();
  console.log(`standin: dist/ built in ${Math.round(performance.now() - started)} ms`);
}
