/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), unpacked into a new project
 * outside this checkout. The project's node_modules holds the package and, linked from this checkout, the
 * dependencies it declares and nothing else (no tsx, no devDependencies); an `npm install` of the tarball would
 * fetch the same ones, for most of a minute. Used by the package test and by the bench's `npx` section.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PackedProject {
  /** The temporary folder holding the tarball and the project: remove it when done. */
  work: string;
  project: string;
  /** node_modules/standin of the project. */
  installed: string;
}

/** Environment variables of a plain Node process: none of a test run's loaders or variables. */
export function plainEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(NODE_OPTIONS|NODE_ENV|VITEST.*|TSX.*)$/.test(name)),
  );
}

export async function packIntoProject(root: string): Promise<PackedProject> {
  const env = plainEnvironment();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const work = mkdtempSync(join(tmpdir(), 'standin-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  const project = join(work, 'project');
  const installed = join(project, 'node_modules', 'standin');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(work, filename), '-C', installed, '--strip-components=1']);
  for (const dependency of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(project, 'node_modules', dependency)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dependency), join(project, 'node_modules', dependency), 'dir');
  }
  // The bin as npm links it when it installs the package, so that `npx standin` finds it.
  mkdirSync(join(project, 'node_modules', '.bin'));
  const bin = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin.standin as string;
  symlinkSync(join('..', 'standin', bin), join(project, 'node_modules', '.bin', 'standin'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return { work, project, installed };
}
