/**
 * `npx standin --version` in a new project that installed the packed package (pack-project.ts): what a user waits
 * for when checking the install. Most of it is npm's own start-up (npm exec loads npm and the project's tree);
 * the bin itself answers before the CLI's modules load (scripts/bin.mjs). Beside it, the bin run by node alone.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packIntoProject, plainEnvironment } from '../pack-project.ts';
import { median } from './load.ts';
import type { Target } from './report.ts';

const run = promisify(execFile);
const RUNS = 7;

async function timed(file: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  await run(file, args, { cwd, env: plainEnvironment() });
  return performance.now() - started;
}

export async function npxVersion(root: string) {
  const { work, project } = await packIntoProject(root);
  try {
    const npx: number[] = [];
    const bin: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      npx.push(await timed('npx', ['--no-install', 'standin', '--version'], project));
      bin.push(await timed(join(project, 'node_modules/.bin/standin'), ['--version'], project));
    }
    return { npxMs: Math.round(median(npx)), binMs: Math.round(median(bin)), runs: RUNS };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function npxReport(result: Awaited<ReturnType<typeof npxVersion>>): { lines: string[]; targets: Target[] } {
  return {
    lines: [
      `npx standin --version in a new project (median of ${result.runs}): ${result.npxMs} ms; the bin alone ${result.binMs} ms`,
      '',
    ],
    targets: [{ target: 'npx standin --version < 0.5 s', value: `${result.npxMs} ms`, holds: result.npxMs < 500 }],
  };
}
