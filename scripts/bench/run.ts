/**
 * `npm run bench`: Standin's speed, scale and cost, side by side with bare express and Prism's mock (issue 9).
 * Every server runs in its own process on 127.0.0.1; load comes from autocannon in this one. Figures are the
 * median of a few short rounds, so ratios hold on a busy machine where absolute numbers do not.
 *
 *   npm run bench [-- --only cold,hot,growth,sandboxes,memory,suite,cluster] [--rounds 3] [--duration 3] [--quick]
 *
 * Prints a table and writes reports/bench/latest.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { productiveStateWithPrices } from '../../fixtures/productive/generate.ts';
import { availableApis } from '../../server/app.ts';
import { clusterBench, clusterLines } from './cluster.ts';
import { hotPath, hotReport } from './hot.ts';
import { load, median, medianOf, type LoadRequest, type LoadResult } from './load.ts';
import { memoryBench, memoryReport } from './memory.ts';
import { npxReport, npxVersion } from './npx.ts';
import { fmt, table, type Target } from './report.ts';
import { http, jsonApi, newPrice, productiveAuth, root, seedSandbox, startStandin, type Served } from './servers.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const SECTIONS = ['cold', 'npx', 'hot', 'growth', 'sandboxes', 'memory', 'suite', 'cluster'] as const;
type Section = (typeof SECTIONS)[number];
const only = new Set((args.only?.split(',') ?? SECTIONS) as Section[]);
const ROUNDS = Number(args.rounds ?? (args.quick ? 1 : 3));
const DURATION = Number(args.duration ?? (args.quick ? 1 : 2));
const CONNECTIONS = 10;
const GROWTH_SIZES = args.quick ? [100, 10_000] : [100, 10_000, 100_000];
const SANDBOXES = args.quick ? 200 : 1_000;

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Waits until a file has stopped changing (the coalesced writer has flushed). */
async function settledFile(file: string, quietMs = 400, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = '';
  let since = Date.now();
  while (Date.now() - started < timeoutMs) {
    let now = '';
    try {
      const s = statSync(file);
      now = `${s.size}:${s.mtimeMs}`;
    } catch {
      now = 'missing';
    }
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now !== 'missing' && Date.now() - since >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${file} did not settle`);
}

// ---------------------------------------------------------------------------------------------------------------
// Cold start: process start to the first 200 of a stateful GET, with every available contract loaded and compiled.
// Three cases. With an empty start-up cache (node_modules/.cache/standin: the bundle, the parsed contracts, the
// compiled validators), as when nothing filled it. After `npm install`, whose prepare script (`standin prepare`) fills
// it: a fresh clone's first start. Later starts. The CPU seconds the server process used by then are steadier than
// the wall time on a shared machine (the first start's esbuild runs in a process of its own, not counted).

async function coldStart() {
  const emptyCache = () => rmSync(join(root, 'node_modules/.cache/standin'), { recursive: true, force: true });
  emptyCache();
  const first = await startStandin();
  const firstCpuSeconds = first.cpuSeconds();
  const apis: { name: string; operations: number }[] = JSON.parse(
    (await http(`${first.base}/__standin/health`)).body.toString(),
  ).apis;
  await first.stop();
  emptyCache();
  const prepareStarted = performance.now();
  execFileSync(process.execPath, ['scripts/start.mjs', 'prepare'], { cwd: root, stdio: 'ignore' });
  const prepareMs = Math.round(performance.now() - prepareStarted);
  const installed = await startStandin();
  const afterInstall = { ms: Math.round(installed.readyMs), cpuSeconds: installed.cpuSeconds() };
  await installed.stop();
  const runs: { ms: number; cpuSeconds: number }[] = [];
  for (let i = 0; i < (args.quick ? 2 : 3); i++) {
    const standin = await startStandin();
    runs.push({ ms: standin.readyMs, cpuSeconds: standin.cpuSeconds() });
    await standin.stop();
  }
  const result = {
    firstMs: Math.round(first.readyMs),
    firstCpuSeconds,
    prepareMs,
    afterInstallMs: afterInstall.ms,
    afterInstallCpuSeconds: afterInstall.cpuSeconds,
    medianMs: Math.round(median(runs.map((r) => r.ms))),
    medianCpuSeconds: round2(median(runs.map((r) => r.cpuSeconds))),
    runsMs: runs.map((r) => Math.round(r.ms)),
    apis,
  };
  log(
    `cold start: empty cache ${result.firstMs} ms (${firstCpuSeconds} CPU s); after install (prepare ${prepareMs} ms) ${afterInstall.ms} ms; then ${result.medianMs} ms (${result.runsMs.join(', ')}; ${result.medianCpuSeconds} CPU s) with ${apis.map((a) => a.name).join(', ')}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Write cost as the store grows: POST latency and RSS with 100 / 10k / 100k prices, in memory and with --data.

async function storeGrowth() {
  const rows: {
    mode: 'memory' | 'data';
    records: number;
    rssMiB: number;
    fileMiB: number | null;
    post: LoadResult & { rounds: number };
  }[] = [];
  // One server per size, all up at once, rounds taking turns: the machine's noise falls on every size alike.
  for (const mode of (process.env.BENCH_GROWTH_MODES?.split(',') ?? ['memory', 'data']) as ('memory' | 'data')[]) {
    const servers: { records: number; standin: Served; dataDir?: string; rss: number; results: LoadResult[] }[] = [];
    try {
      for (const records of GROWTH_SIZES) {
        const dataDir = mode === 'data' ? mkdtempSync(join(tmpdir(), 'standin-bench-data-')) : undefined;
        const standin = await startStandin({ dataDir });
        servers.push({ records, standin, dataDir, rss: NaN, results: [] });
        await seedSandbox(standin.base, 'growth', productiveStateWithPrices(records, { seed: 2 }));
        if (dataDir) await settledFile(join(dataDir, 'growth.json'));
        await new Promise((resolve) => setTimeout(resolve, 300));
        servers.at(-1)!.rss = standin.rssMiB();
      }
      const requestOf = (standin: Served): LoadRequest => ({
        url: `${standin.base}/productive/api/v2/prices`,
        method: 'POST',
        headers: { ...jsonApi, 'X-Standin-Sandbox': 'growth' },
        body: newPrice,
      });
      for (const s of servers) await load(requestOf(s.standin), { connections: 4, amount: 300 });
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of round % 2 ? [...servers].reverse() : servers) {
          // A server still saving its last round would take the CPU from this one's.
          for (const other of servers) if (other.dataDir) await settledFile(join(other.dataDir, 'growth.json'));
          s.results.push(
            await load(requestOf(s.standin), { connections: 4, amount: args.quick ? 500 : 2_000, server: s.standin }),
          );
        }
      }
      for (const s of servers) {
        const post = medianOf(s.results);
        const fileMiB = s.dataDir ? round1(statSync(join(s.dataDir, 'growth.json')).size / 2 ** 20) : null;
        rows.push({ mode, records: s.records, rssMiB: round1(s.rss), fileMiB, post });
        log(
          `growth ${mode} ${s.records}: RSS ${round1(s.rss)} MiB, POST p50 ${post.p50} p99 ${post.p99} ms ${post.cpuUs} µs CPU/req (p99 of rounds: ${s.results.map((r) => r.p99).join(', ')})${post.failures ? ` (${post.failures} failed)` : ''}`,
        );
      }
    } finally {
      for (const s of servers) {
        await s.standin.stop();
        if (s.dataDir) rmSync(s.dataDir, { recursive: true, force: true });
      }
    }
  }
  const ratio = (mode: 'memory' | 'data') => {
    const at = (n: number) => rows.find((r) => r.mode === mode && r.records === n)!.post.p99;
    return round2(at(GROWTH_SIZES.at(-1)!) / at(GROWTH_SIZES[0]!));
  };
  return { sizes: GROWTH_SIZES, rows, p99Ratio: { memory: ratio('memory'), data: ratio('data') } };
}

// ---------------------------------------------------------------------------------------------------------------
// Many sandboxes: each created by its first request, then written to; memory per sandbox.

async function manySandboxes() {
  const standin = await startStandin();
  try {
    await http(`${standin.base}/productive/api/v2/prices/1`, { headers: productiveAuth });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = standin.rssMiB();
    const started = performance.now();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < SANDBOXES) {
        const sandbox = `many-${next++}`;
        const get = await fetch(`${standin.base}/productive/api/v2/prices/1`, {
          headers: { ...productiveAuth, 'X-Standin-Sandbox': sandbox },
        });
        await get.arrayBuffer();
        const post = await fetch(`${standin.base}/productive/api/v2/prices`, {
          method: 'POST',
          headers: { ...jsonApi, 'X-Standin-Sandbox': sandbox },
          body: newPrice,
        });
        await post.arrayBuffer();
        for (const status of [get.status, post.status]) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = standin.rssMiB();
    const health = JSON.parse((await http(`${standin.base}/__standin/health`)).body.toString());
    const result = {
      sandboxes: SANDBOXES,
      listed: health.sandboxes as number,
      seconds: round2(seconds),
      sandboxesPerSecond: Math.round(SANDBOXES / seconds),
      statuses: Object.fromEntries(statuses),
      rssBeforeMiB: round1(before),
      rssAfterMiB: round1(after),
      perSandboxKiB: Math.round(((after - before) * 1024) / SANDBOXES),
    };
    log(
      `sandboxes: ${SANDBOXES} in ${result.seconds} s, RSS ${result.rssBeforeMiB} → ${result.rssAfterMiB} MiB, ${result.perSandboxKiB} KiB each`,
    );
    return result;
  } finally {
    await standin.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The full conformance suite against the in-process mock.

/** The conformance suites: suites/<api>/ of every available API and suites/pact/ (not core, console, reliability...). */
function conformanceDirs(): string[] {
  return [...availableApis().map((api) => `suites/${api}/`), 'suites/pact/'].filter((dir) =>
    existsSync(join(root, dir)),
  );
}

const SUITE_TIMEOUT_S = 240;

async function suite() {
  const output = join(root, 'reports/bench/vitest.json');
  rmSync(output, { force: true });
  const dirs = conformanceDirs();
  const started = performance.now();
  // bash's `time` adds up the CPU of vitest and its workers: steadier than the wall time on a shared machine.
  let times = '';
  let timedOut = false;
  const code = await new Promise<number | null>((resolve) => {
    const vitest = [
      process.execPath,
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...dirs,
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${output}`,
    ]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('bash', ['-c', `TIMEFORMAT='cpu %U %S'; time ${vitest} >/dev/null 2>&1`], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    });
    child.stderr!.on('data', (chunk: Buffer) => (times += chunk.toString()));
    // Bounded: on a machine too busy to finish, the figure is 'more than the cap', not a wait without end.
    const cap = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }, SUITE_TIMEOUT_S * 1000);
    child.once('exit', (status) => {
      clearTimeout(cap);
      resolve(status);
    });
  });
  const seconds = round1((performance.now() - started) / 1000);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(times);
  const cpuSeconds = cpu ? round1(Number(cpu[1]) + Number(cpu[2])) : NaN;
  let counts = { passed: 0, failed: 0, skipped: 0, files: 0 };
  try {
    const r = JSON.parse(readFileSync(output, 'utf8'));
    counts = {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
      files: r.numTotalTestSuites,
    };
  } catch {
    // reported as zero tests
  }
  log(
    `suite: ${dirs.join(' ')}: ${seconds} s${timedOut ? ' (stopped at the cap)' : ''} (${cpuSeconds} CPU s), ${counts.passed} passed, ${counts.failed} failed (exit ${code})`,
  );
  return { dirs, seconds, timedOut, cpuSeconds, exitCode: code, ...counts };
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const wallStarted = performance.now();
  const report: Record<string, unknown> = {
    at: new Date().toISOString(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
      } catch {
        return null;
      }
    })(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      loadavgAtStart: loadavg().map(round2),
    },
    settings: { rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS, quick: args.quick },
    availableApis: availableApis(),
  };
  const cold = only.has('cold') ? await coldStart() : undefined;
  const npx = only.has('npx') ? await npxVersion(root) : undefined;
  const hot = only.has('hot')
    ? await hotPath({ rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS })
    : undefined;
  const growth = only.has('growth') ? await storeGrowth() : undefined;
  const sandboxes = only.has('sandboxes') ? await manySandboxes() : undefined;
  const memory = only.has('memory') ? await memoryBench(log) : undefined;
  const suiteRun = only.has('suite') ? await suite() : undefined;
  const cluster = only.has('cluster')
    ? await clusterBench({ rounds: ROUNDS, duration: DURATION, quick: args.quick })
    : undefined;
  Object.assign(report, {
    coldStart: cold,
    hotPath: hot,
    storeGrowth: growth,
    manySandboxes: sandboxes,
    memory,
    suite: suiteRun,
    cluster,
  });

  const targets: Target[] = [];
  const out: string[] = [];
  if (hot) {
    const shown = hotReport(hot);
    out.push(...shown.lines);
    targets.push(...shown.targets);
  }
  if (cold) {
    out.push(
      `Cold start (spawn → first 200, ${cold.apis.map((a) => `${a.name} ${a.operations} ops`).join(', ')}): first start after npm install ${cold.afterInstallMs} ms, ${cold.afterInstallCpuSeconds} CPU s (its postinstall prepared the cache in ${cold.prepareMs} ms); later starts median ${cold.medianMs} ms of ${cold.runsMs.join(', ')}, ${cold.medianCpuSeconds} CPU s; with an emptied cache ${cold.firstMs} ms, ${cold.firstCpuSeconds} CPU s`,
      '',
    );
    targets.push({
      target: 'cold start < 1 s (first start after npm install)',
      value: `${cold.afterInstallMs} ms`,
      holds: cold.afterInstallMs < 1000,
    });
    targets.push({
      target: 'cold start < 1 s (later starts)',
      value: `${cold.medianMs} ms`,
      holds: cold.medianMs < 1000,
    });
  }
  if (npx) {
    const shown = npxReport(npx);
    out.push(...shown.lines);
    targets.push(...shown.targets);
  }
  if (growth) {
    out.push('Write cost as the store grows (POST, 4 connections)');
    const rows = [['store', 'records', 'RSS MiB', 'file MiB', 'CPU µs/req', 'p50 ms', 'p99 ms']];
    for (const r of growth.rows)
      rows.push([
        r.mode === 'data' ? '--data' : 'memory',
        String(r.records),
        fmt(r.rssMiB, 1),
        r.fileMiB === null ? '' : fmt(r.fileMiB, 1),
        fmt(r.post.cpuUs ?? NaN),
        String(r.post.p50),
        String(r.post.p99),
      ]);
    out.push(table(rows), '');
    const last = growth.sizes.at(-1)!;
    for (const mode of ['memory', 'data'] as const)
      targets.push({
        target: `POST p99 at ${last} <= 1.5x at ${growth.sizes[0]} (${mode === 'data' ? '--data' : 'memory'})`,
        value: `${fmt(growth.p99Ratio[mode], 2)}x`,
        holds: growth.p99Ratio[mode] <= 1.5,
      });
  }
  if (sandboxes) {
    out.push(
      `Many sandboxes: ${sandboxes.sandboxes} created and written in ${sandboxes.seconds} s (${sandboxes.sandboxesPerSecond}/s), RSS ${sandboxes.rssBeforeMiB} → ${sandboxes.rssAfterMiB} MiB: ${sandboxes.perSandboxKiB} KiB per sandbox`,
      '',
    );
  }
  if (memory) {
    const { lines, targets: memoryTargets } = memoryReport(memory);
    out.push(...lines);
    targets.push(...memoryTargets);
  }
  if (suiteRun) {
    out.push(
      `Conformance suites (vitest run ${suiteRun.dirs.join(' ')}): ${suiteRun.timedOut ? `stopped after ${SUITE_TIMEOUT_S} s` : `${suiteRun.seconds} s`} wall, ${suiteRun.cpuSeconds} s CPU, ${suiteRun.passed} passed, ${suiteRun.failed} failed, ${suiteRun.skipped} skipped`,
      '',
    );
    targets.push({
      target: 'full conformance suite < 60 s',
      value: suiteRun.timedOut ? `> ${SUITE_TIMEOUT_S} s` : `${suiteRun.seconds} s`,
      holds: !suiteRun.timedOut && suiteRun.seconds < 60,
    });
  }
  if (cluster) out.push(...clusterLines(cluster, table));
  if (targets.length)
    out.push(
      table([['target', 'measured', 'holds'], ...targets.map((t) => [t.target, t.value, t.holds ? 'yes' : 'NO'])]),
    );
  const wall = round1((performance.now() - wallStarted) / 1000);
  out.push('', `(${cpus().length} cores, load ${loadavg().map(round2).join(' ')}; bench took ${wall} s)`);
  Object.assign(report, { targets, benchSeconds: wall, machineLoadAtEnd: loadavg().map(round2) });
  mkdirSync(join(root, 'reports/bench'), { recursive: true });
  writeFileSync(join(root, 'reports/bench/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(out.join('\n'));
  console.log('\nwritten: reports/bench/latest.json');
}

await main();
