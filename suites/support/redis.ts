/**
 * A throwaway redis-server for tests: on loopback, on a free port, nothing saved (--save '' --appendonly no), stopped
 * by the test. Tests that need one skip with `REDIS_MISSING` as their reason when the binary is not installed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

function redisServerBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const binary = redisServerBinary();

/** Why Redis tests are skipped here, or undefined when redis-server is installed. */
export const REDIS_MISSING = binary
  ? undefined
  : 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';

export interface TestRedis {
  port: number;
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Stops it (SIGTERM, nothing saved) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks it; redis-server cannot be told to). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server on ${port} not ready in 10 s:\n${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on ${port} exited (${code}):\n${output}`));
    });
  });
}

/** Starts a redis-server (on `port`, or a free one) and resolves once it accepts connections. */
export async function startRedis(port?: number): Promise<TestRedis> {
  if (!binary) throw new Error(REDIS_MISSING);
  const chosen = port ?? (await freePort());
  const child = spawn(
    binary,
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await ready(child, chosen);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
