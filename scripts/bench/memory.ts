/**
 * What sandboxes cost in memory (`npm run bench -- --only memory`): the server's RSS empty and with 10,000
 * sandboxes each read once (GET /prices/1), and the settled heap per sandbox that only read vs per sandbox that made
 * one write (POST /prices, one request each, so both hold one journal entry). The server runs with --expose-gc and
 * scripts/soak-gc.mjs: each figure is taken right after a full garbage collection.
 */
import { newPrice, productiveAuth, startStandin, type Served } from './servers.ts';

const READ_SANDBOXES = 10_000;
const WRITE_SANDBOXES = 2_000;
const WORKERS = 8;
const KiB = 1024;
const MiB = 1024 * 1024;

export const MEMORY_TARGETS = { readRssMiB: 150, writeExtraKiB: 16 };

interface Settled {
  rss: number;
  heapUsed: number;
}

/** The server's memory right after a full garbage collection (soak-gc.mjs answers SIGUSR2 on stderr). */
async function settled(server: Served): Promise<Settled> {
  const marker = /standin-soak-gc (\{[^\n]*\})/g;
  const seen = server.stderr().match(marker)?.length ?? 0;
  process.kill(server.pid, 'SIGUSR2');
  for (let waited = 0; waited < 30_000; waited += 20) {
    const lines = [...server.stderr().matchAll(marker)];
    if (lines.length > seen) return JSON.parse(lines.at(-1)![1]!) as Settled;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the server did not report its memory after SIGUSR2');
}

/** One request per sandbox `${prefix}0` … `${prefix}${count - 1}`, WORKERS at a time; throws on an unexpected status. */
async function touchSandboxes(server: Served, prefix: string, count: number, write: boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const sandbox = `${prefix}${next++}`;
      const answer = await fetch(`${server.base}/productive/api/v2/prices${write ? '' : '/1'}`, {
        method: write ? 'POST' : 'GET',
        headers: {
          ...productiveAuth,
          'X-Standin-Sandbox': sandbox,
          ...(write ? { 'Content-Type': 'application/vnd.api+json' } : {}),
        },
        body: write ? newPrice : undefined,
      });
      await answer.arrayBuffer();
      if (answer.status !== (write ? 201 : 200))
        throw new Error(`${write ? 'POST' : 'GET'} in sandbox ${sandbox}: ${answer.status}`);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

export interface MemoryResult {
  readSandboxes: number;
  writeSandboxes: number;
  emptyRssMiB: number;
  readRssMiB: number;
  rssGrowthMiB: number;
  readKiB: number;
  writeKiB: number;
  writeExtraKiB: number;
}

export async function memoryBench(log: (message: string) => void): Promise<MemoryResult> {
  const server = await startStandin({
    nodeArgs: ['--expose-gc', '--import', './scripts/soak-gc.mjs'],
    maxSandboxes: READ_SANDBOXES + WRITE_SANDBOXES + 100,
  });
  try {
    // Every code path the measure takes runs before the empty figure (compiled code, lazily built tables).
    await touchSandboxes(server, 'warm-read-', 50, false);
    await touchSandboxes(server, 'warm-write-', 50, true);
    const empty = await settled(server);
    await touchSandboxes(server, 'read-', READ_SANDBOXES, false);
    const read = await settled(server);
    await touchSandboxes(server, 'write-', WRITE_SANDBOXES, true);
    const written = await settled(server);
    const readKiB = (read.heapUsed - empty.heapUsed) / READ_SANDBOXES / KiB;
    const writeKiB = (written.heapUsed - read.heapUsed) / WRITE_SANDBOXES / KiB;
    const result: MemoryResult = {
      readSandboxes: READ_SANDBOXES,
      writeSandboxes: WRITE_SANDBOXES,
      emptyRssMiB: round1(empty.rss / MiB),
      readRssMiB: round1(read.rss / MiB),
      rssGrowthMiB: round1((read.rss - empty.rss) / MiB),
      readKiB: round1(readKiB),
      writeKiB: round1(writeKiB),
      writeExtraKiB: round1(writeKiB - readKiB),
    };
    log(
      `memory: RSS ${result.emptyRssMiB} MiB empty → ${result.readRssMiB} MiB with ${READ_SANDBOXES} sandboxes read once; settled heap ${result.readKiB} KiB per sandbox read, ${result.writeKiB} KiB per sandbox that wrote once`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The bench's lines and targets for this section. */
export function memoryReport(result: MemoryResult): {
  lines: string[];
  targets: { target: string; value: string; holds: boolean }[];
} {
  return {
    lines: [
      `Sandbox memory (settled after a full GC): RSS ${result.emptyRssMiB} MiB empty, ${result.readRssMiB} MiB with ${result.readSandboxes} sandboxes each read once; heap per sandbox ${result.readKiB} KiB read once, ${result.writeKiB} KiB after one write (${result.writeSandboxes} sandboxes)`,
      '',
    ],
    targets: [
      {
        target: `${result.readSandboxes} sandboxes read once <= ${MEMORY_TARGETS.readRssMiB} MiB RSS more than empty`,
        value: `+${result.rssGrowthMiB} MiB`,
        holds: result.rssGrowthMiB <= MEMORY_TARGETS.readRssMiB,
      },
      {
        target: `a sandbox that wrote once <= ${MEMORY_TARGETS.writeExtraKiB} KiB more than one that read`,
        value: `+${result.writeExtraKiB} KiB (${result.writeKiB} vs ${result.readKiB} KiB)`,
        holds: result.writeExtraKiB <= MEMORY_TARGETS.writeExtraKiB,
      },
    ],
  };
}
