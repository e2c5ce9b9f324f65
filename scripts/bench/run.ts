/**
 * `npm run bench`: Standin's speed, scale and cost, side by side with bare express and Prism's mock (issue 9).
 * Every server runs in its own process on 127.0.0.1; load comes from autocannon in this one. Figures are the
 * median of a few short rounds, so ratios hold on a busy machine where absolute numbers do not.
 *
 *   npm run bench [-- --only cold,hot,growth,sandboxes,memory,suite] [--rounds 3] [--duration 3] [--quick]
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
import { contractFile } from '../../server/core/contract/load.ts';
import { load, median, medianOf, type LoadRequest, type LoadResult } from './load.ts';
import { memoryBench, memoryReport } from './memory.ts';
import {
  http,
  productiveAuth,
  root,
  startBareExpress,
  startPrism,
  startStandin,
  type CannedRoute,
  type Served,
} from './servers.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const SECTIONS = ['cold', 'hot', 'growth', 'sandboxes', 'memory', 'suite'] as const;
type Section = (typeof SECTIONS)[number];
const only = new Set((args.only?.split(',') ?? SECTIONS) as Section[]);
const ROUNDS = Number(args.rounds ?? (args.quick ? 1 : 3));
const DURATION = Number(args.duration ?? (args.quick ? 1 : 2));
const CONNECTIONS = 10;
const GROWTH_SIZES = args.quick ? [100, 10_000] : [100, 10_000, 100_000];
const SANDBOXES = args.quick ? 200 : 1_000;

const jsonApi = { ...productiveAuth, 'Content-Type': 'application/vnd.api+json' };
const newPrice = JSON.stringify({
  data: {
    type: 'prices',
    attributes: { name: 'Bench price', unit_id: 1, currency: 'EUR', quantity: 2, rate: 12_500 },
    relationships: {
      company: { data: { type: 'companies', id: '1926' } },
      service_type: { data: { type: 'service_types', id: '107' } },
    },
  },
});

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Puts `productive` (the rest of the sandbox as the fixtures make it) into a sandbox through the admin API. */
async function seedSandbox(base: string, sandbox: string, productive: unknown): Promise<void> {
  await http(`${base}/__standin/sandboxes/${sandbox}/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  const current = await http(`${base}/__standin/sandboxes/${sandbox}/state`);
  const state = JSON.parse(current.body.toString('utf8'));
  state.apis.productive = productive;
  const put = await http(`${base}/__standin/sandboxes/${sandbox}/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(state),
  });
  if (put.status !== 200) throw new Error(`seeding ${sandbox}: ${put.status} ${put.body.toString().slice(0, 300)}`);
}

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
// Hot path: the same three requests against Standin, bare express (same bytes) and Prism's mock.

interface Scenario {
  name: string;
  title: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'get', title: 'GET /prices/1 (auth + validation)', method: 'GET', path: '/api/v2/prices/1' },
  { name: 'list', title: 'GET /prices?page[size]=30', method: 'GET', path: '/api/v2/prices?page%5Bsize%5D=30' },
  { name: 'post', title: 'POST /prices (create)', method: 'POST', path: '/api/v2/prices', body: newPrice },
];

async function hotPath() {
  const standin = await startStandin();
  const strict = await startStandin({ strict: true });
  const servers: Served[] = [standin, strict];
  const scratch = mkdtempSync(join(tmpdir(), 'standin-bench-'));
  try {
    // The bench sandbox: the fixtures plus 100 generated prices, so the list has pages to cut.
    for (const s of [standin, strict]) await seedSandbox(s.base, 'bench', productiveStateWithPrices(100, { seed: 1 }));
    const standinRequest = (s: Scenario): LoadRequest => ({
      url: `${standin.base}/productive${s.path}`,
      method: s.method,
      headers: {
        ...(s.body ? jsonApi : productiveAuth),
        'X-Standin-Sandbox': s.method === 'POST' ? 'bench-post' : 'bench',
      },
      body: s.body,
    });
    // What Standin answers is what bare express will answer, byte for byte.
    const routes: CannedRoute[] = [];
    for (const s of SCENARIOS) {
      const r = standinRequest(s);
      // Reads from the bench sandbox itself; the captured write goes elsewhere so the sandboxes stay as measured.
      const headers = s.method === 'POST' ? { ...r.headers, 'X-Standin-Sandbox': 'bench-capture' } : r.headers;
      const answer = await http(r.url, { method: r.method, headers, body: r.body });
      if (answer.status >= 300)
        throw new Error(`${s.name}: Standin answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
      routes.push({
        method: s.method,
        path: `/productive${s.path.split('?')[0]}`,
        status: answer.status,
        contentType: String(answer.headers['content-type']),
        body: answer.body.toString('base64'),
      });
    }
    const routesFile = join(scratch, 'routes.json');
    writeFileSync(routesFile, JSON.stringify(routes));
    const express = await startBareExpress(routesFile);
    servers.push(express);
    const prism = await startPrism(contractFile('productive'));
    servers.push(prism);
    const serverOf: Record<string, Served> = { standin, express, prism, strict };
    const requestsOf: Record<string, (s: Scenario) => LoadRequest> = {
      standin: standinRequest,
      strict: (s) => ({ ...standinRequest(s), url: `${strict.base}/productive${s.path}` }),
      express: (s) => ({ ...standinRequest(s), url: `${express.base}/productive${s.path}` }),
      prism: (s) => ({ ...standinRequest(s), url: `${prism.base}${s.path}` }),
    };
    const targets = Object.keys(requestsOf);
    for (const s of SCENARIOS)
      for (const t of targets) await load(requestsOf[t]!(s), { connections: CONNECTIONS, duration: 1 });
    const rounds: Record<string, Record<string, LoadResult[]>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of SCENARIOS) {
        // Targets alternate within a round so that the machine's noise falls on all of them alike.
        for (const t of round % 2 ? [...targets].reverse() : targets) {
          const result = await load(requestsOf[t]!(s), {
            connections: CONNECTIONS,
            duration: DURATION,
            server: serverOf[t],
          });
          ((rounds[s.name] ??= {})[t] ??= []).push(result);
          log(
            `hot ${s.name} ${t} round ${round + 1}: ${Math.round(result.rps)} req/s p50 ${result.p50} p99 ${result.p99} ms, ${result.cpuUs} µs CPU/req${result.failures ? ` (${result.failures} failed)` : ''}`,
          );
        }
      }
    }
    const scenarios = SCENARIOS.map((s) => {
      const [st, sc, ex, pr] = targets.map((t) => medianOf(rounds[s.name]![t]!));
      return {
        strict: sc!,
        strictVsExpress: round2(sc!.rps / ex!.rps),
        name: s.name,
        title: s.title,
        bytes: Buffer.from(
          routes.find((r) => r.path === `/productive${s.path.split('?')[0]}` && r.method === s.method)!.body,
          'base64',
        ).length,
        standin: st!,
        express: ex!,
        prism: pr!,
        vsExpress: round2(st!.rps / ex!.rps),
        /** The same ratio from CPU time per request: steadier when the machine is shared. */
        cpuVsExpress: round2((ex!.cpuUs ?? NaN) / (st!.cpuUs ?? NaN)),
        cpuVsPrism: round2((pr!.cpuUs ?? NaN) / (st!.cpuUs ?? NaN)),
        vsPrism: round2(st!.rps / pr!.rps),
      };
    });
    return { connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS, scenarios };
  } finally {
    for (const s of servers) await s.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
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

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, n) => {
      const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
      return n === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

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
  const hot = only.has('hot') ? await hotPath() : undefined;
  const growth = only.has('growth') ? await storeGrowth() : undefined;
  const sandboxes = only.has('sandboxes') ? await manySandboxes() : undefined;
  const memory = only.has('memory') ? await memoryBench(log) : undefined;
  const suiteRun = only.has('suite') ? await suite() : undefined;
  Object.assign(report, {
    coldStart: cold,
    hotPath: hot,
    storeGrowth: growth,
    manySandboxes: sandboxes,
    memory,
    suite: suiteRun,
  });

  const targets: { target: string; value: string; holds: boolean }[] = [];
  const out: string[] = [];
  if (hot) {
    out.push('Hot path (req/s, median of rounds; latency p50/p99 ms)');
    const rows = [
      [
        'request',
        'Standin',
        '--strict',
        'express',
        'Prism',
        'vs express',
        'vs Prism',
        'strict vs express',
        'CPU µs/req S/x/P',
        'p50/p99 ms S/x/P',
      ],
    ];
    for (const s of hot.scenarios) {
      rows.push([
        s.title,
        fmt(s.standin.rps),
        fmt(s.strict.rps),
        fmt(s.express.rps),
        fmt(s.prism.rps),
        `${fmt(s.vsExpress, 2)}x`,
        `${fmt(s.vsPrism, 2)}x`,
        `${fmt(s.strictVsExpress, 2)}x`,
        `${fmt(s.standin.cpuUs ?? NaN)}/${fmt(s.express.cpuUs ?? NaN)}/${fmt(s.prism.cpuUs ?? NaN)}`,
        `${s.standin.p50}/${s.standin.p99} ${s.express.p50}/${s.express.p99} ${s.prism.p50}/${s.prism.p99}`,
      ]);
    }
    out.push(table(rows), '');
    const get = hot.scenarios.find((s) => s.name === 'get')!;
    targets.push({
      target: 'stateful GET >= 0.8x bare express',
      value: `${fmt(get.vsExpress, 2)}x (CPU ${fmt(get.cpuVsExpress, 2)}x)`,
      holds: get.vsExpress >= 0.8,
    });
    targets.push({
      target: 'stateful GET >= 3x Prism mock',
      value: `${fmt(get.vsPrism, 2)}x (CPU ${fmt(get.cpuVsPrism, 2)}x)`,
      holds: get.vsPrism >= 3,
    });
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
