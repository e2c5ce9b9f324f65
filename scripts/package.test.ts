/** The package as a user gets it (pack-project.ts), run by plain Node. */
import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packIntoProject, plainEnvironment } from './pack-project.ts';
import { SERVER_NODE_FLAGS } from './server-flags.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const plainEnv = plainEnvironment();

let work: string;
let project: string;
let installed: string;

beforeAll(async () => {
  ({ work, project, installed } = await packIntoProject(root));
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const node = (args: string[]) => run(process.execPath, args, { cwd: project, env: plainEnv });

describe('the packed package, in a new project', () => {
  it('ships the compiled JavaScript, its types and the files the server reads, and no tests', () => {
    const packed = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(packed.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(packed.exports['./msw']).toEqual({ types: './dist/msw.d.ts', default: './dist/msw.js' });
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/msw.js',
      'dist/msw.d.ts',
      'dist/standin.js',
      'contracts/togai/openapi.yaml',
      'server/console/index.html',
      'server/apis/togai/state.schema.json',
    ])
      expect(() => readFileSync(join(installed, file)), file).not.toThrow();
    expect(() => readFileSync(join(installed, 'server/start-standin.test.ts'))).toThrow();
  });

  it('starts and stops a server from `import { startStandin } from "standin"` under plain Node', async () => {
    writeFileSync(
      join(project, 'start.mjs'),
      `import { startStandin } from 'standin';
const standin = await startStandin({ apis: ['togai'] });
const sandbox = standin.sandbox('pack-test');
const res = await fetch(standin.baseUrl('togai') + '/accounts/ACC00001', { headers: { Authorization: 'Bearer togai-test-token', ...sandbox.headers } });
const account = await res.json();
await standin.close();
console.log(JSON.stringify({ status: res.status, id: account.id, closed: await fetch(standin.url).then(() => false, () => true) }));`,
    );
    const { stdout } = await node(['start.mjs']);
    expect(JSON.parse(stdout)).toEqual({ status: 200, id: 'ACC00001', closed: true });
  });

  it("answers Togai's own URL in MSW's setupServer from `import { standinHandlers } from 'standin/msw'`", async () => {
    // msw is the user's own dependency (an optional peer of the package).
    symlinkSync(join(root, 'node_modules', 'msw'), join(project, 'node_modules', 'msw'), 'dir');
    writeFileSync(
      join(project, 'msw.mjs'),
      `import { setupServer } from 'msw/node';
import { standinHandlers } from 'standin/msw';
const server = setupServer(...standinHandlers({ apis: ['togai'] }));
server.listen({ onUnhandledRequest: 'error' });
const res = await fetch('https://api.togai.com/accounts/ACC00001', { headers: { Authorization: 'Bearer togai-test-token' } });
const account = await res.json();
server.close();
console.log(JSON.stringify({ status: res.status, id: account.id }));`,
    );
    const { stdout } = await node(['msw.mjs']);
    expect(JSON.parse(stdout)).toEqual({ status: 200, id: 'ACC00001' });
  });

  it("types a TypeScript user's code from its declarations", async () => {
    writeFileSync(
      join(project, 'typed.ts'),
      `import { startStandin, type RunningStandin, type ClockView } from 'standin';
const standin: RunningStandin = await startStandin({ port: 0, apis: ['productive'], strict: true });
const clock: ClockView = await standin.sandbox('typed').clock({ advance: 'P1D' });
// @ts-expect-error: a sandbox's name is a string
standin.sandbox(42);
export { clock };`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2022'],
          strict: true,
          noEmit: true,
          types: [],
          skipDefaultLibCheck: true,
        },
        files: ['typed.ts'],
      }),
    );
    await expect(node([join(root, 'node_modules/typescript/bin/tsc'), '-p', project])).resolves.toMatchObject({
      stdout: '',
    });
  });

  it('answers `standin --version` from its bin, compiled JavaScript run by node', async () => {
    const bin = join(installed, JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin.standin);
    // The server's V8 flags (server-flags.ts) ride on the shebang, as on `npm start`'s node.
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start).toBe(
      `exec node ${SERVER_NODE_FLAGS.join(' ')} scripts/start.mjs serve`,
    );
    const started = performance.now();
    const { stdout } = await run(bin, ['--version'], { cwd: project, env: plainEnv });
    console.log(`standin --version: ${Math.round(performance.now() - started)} ms`);
    expect(stdout.trim()).toBe(manifest.version);
    await expect(run(bin, ['--help'], { cwd: project, env: plainEnv })).resolves.toMatchObject({
      stdout: expect.stringContaining('serve [options]'),
    });
  });

  it('answers `npx standin --version` in the project that installed it', async () => {
    const { stdout } = await run('npx', ['--no-install', 'standin', '--version'], { cwd: project, env: plainEnv });
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('serves from its bin, console included, and stops on SIGTERM', async () => {
    const bin = join(installed, 'scripts/bin.mjs');
    const child = spawn(bin, ['serve', '--port', '0', '--api', 'togai'], {
      cwd: project,
      env: plainEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const served = out.match(/serving on (http:\/\/[\d.:]+)/);
          if (served) resolve(served[1]!);
        });
        child.once('exit', (code) => reject(new Error(`standin serve exited (${code}): ${out}`)));
      });
      expect((await fetch(`${origin}/__standin/health`)).status).toBe(200);
      const page = await fetch(`${origin}/__standin/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
