/**
 * The hot path: the same three requests against Standin (with and without --strict), node:http alone answering
 * Standin's bytes (the ceiling), bare express answering them (the yardstick) and Prism's mock. Every server runs
 * in its own process, started afresh each round; the CPU µs each used per request (from /proc) is steadier than
 * req/s on a shared machine.
 * BENCH_BEFORE=<another checkout> adds a `before` Standin served from there, for an A/B in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productiveStateWithPrices } from '../../fixtures/productive/generate.ts';
import { contractFile } from '../../server/core/contract/load.ts';
import { load, medianOf, type LoadRequest, type LoadResult } from './load.ts';
import { fmt, round2, table, type Target } from './report.ts';
import {
  http,
  jsonApi,
  newPrice,
  productiveAuth,
  seedSandbox,
  startBareExpress,
  startPrism,
  startRawNode,
  startStandin,
  type CannedRoute,
  type Served,
} from './servers.ts';

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

/** The servers compared, in the order the table shows them. */
const SERVERS = ['standin', 'strict', 'before', 'node', 'express', 'prism'] as const;
type ServerName = (typeof SERVERS)[number];

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** What Standin answers to each scenario, byte for byte: what node:http and bare express will answer. */
async function capture(standinRequest: (s: Scenario) => LoadRequest): Promise<CannedRoute[]> {
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
  return routes;
}

/** How a scenario's request reaches one server (Prism serves the contract's paths, the others /productive/…). */
function requestTo(base: string, s: Scenario, prefix = '/productive'): LoadRequest {
  return {
    url: `${base}${prefix}${s.path}`,
    method: s.method,
    headers: {
      ...(s.body ? jsonApi : productiveAuth),
      'X-Standin-Sandbox': s.method === 'POST' ? 'bench-post' : 'bench',
    },
    body: s.body,
  };
}

/** Every server compared, started afresh; `routes` writes `routesFile`, the bytes node:http and express answer. */
async function startServers(routesFile: string, routes: (standin: Served) => Promise<void>) {
  const served: Partial<Record<ServerName, Served>> = {};
  try {
    served.standin = await startStandin();
    served.strict = await startStandin({ strict: true });
    if (process.env.BENCH_BEFORE) served.before = await startStandin({ cwd: process.env.BENCH_BEFORE });
    // The bench sandbox: the fixtures plus 100 generated prices, so the list has pages to cut.
    for (const s of [served.standin, served.strict, served.before])
      if (s) await seedSandbox(s.base, 'bench', productiveStateWithPrices(100, { seed: 1 }));
    await routes(served.standin);
    served.node = await startRawNode(routesFile);
    served.express = await startBareExpress(routesFile);
    served.prism = await startPrism(contractFile('productive'));
    return served;
  } catch (error) {
    for (const s of Object.values(served)) await s.stop();
    throw error;
  }
}

export async function hotPath(options: { rounds: number; duration: number; connections: number }) {
  const scratch = mkdtempSync(join(tmpdir(), 'standin-bench-'));
  const routesFile = join(scratch, 'routes.json');
  let routes: CannedRoute[] = [];
  const rounds: Record<string, Partial<Record<ServerName, LoadResult[]>>> = {};
  const targets = SERVERS.filter((t) => t !== 'before' || process.env.BENCH_BEFORE);
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Every round on servers started afresh: the same server measures up to ~12% apart from one process to the
      // next (where its code and heap settle), so one process per server for the whole run would judge that
      // process as much as the code.
      const served = await startServers(routesFile, async (standin) => {
        if (round > 0) return;
        routes = await capture((s) => requestTo(standin.base, s));
        writeFileSync(routesFile, JSON.stringify(routes));
      });
      try {
        const requestOf = (t: ServerName, s: Scenario) =>
          requestTo(served[t]!.base, s, t === 'prism' ? '' : '/productive');
        for (const s of SCENARIOS)
          for (const t of targets) await load(requestOf(t, s), { connections: options.connections, duration: 1 });
        for (const s of SCENARIOS) {
          // Targets alternate within a round so that the machine's noise falls on all of them alike.
          for (const t of round % 2 ? [...targets].reverse() : targets) {
            const result = await load(requestOf(t, s), {
              connections: options.connections,
              duration: options.duration,
              server: served[t],
            });
            ((rounds[s.name] ??= {})[t] ??= []).push(result);
            log(
              `hot ${s.name} ${t} round ${round + 1}: ${Math.round(result.rps)} req/s p50 ${result.p50} p99 ${result.p99} ms, ${result.cpuUs} µs CPU/req${result.failures ? ` (${result.failures} failed)` : ''}`,
            );
          }
        }
      } finally {
        for (const s of Object.values(served)) await s.stop();
      }
    }
    const scenarios = SCENARIOS.map((s) => {
      const of = Object.fromEntries(targets.map((t) => [t, medianOf(rounds[s.name]![t]!)])) as Partial<
        Record<ServerName, LoadResult>
      >;
      const route = routes.find((r) => r.path === `/productive${s.path.split('?')[0]}` && r.method === s.method)!;
      /** a's rate over b's, and the same ratio from CPU time per request (b's over a's). */
      const ratio = (a: ServerName, b: ServerName) => ({
        rps: round2(of[a]!.rps / of[b]!.rps),
        cpu: round2((of[b]!.cpuUs ?? Number.NaN) / (of[a]!.cpuUs ?? Number.NaN)),
      });
      return {
        name: s.name,
        title: s.title,
        bytes: Buffer.from(route.body, 'base64').length,
        servers: of,
        standinVsNode: ratio('standin', 'node'),
        standinVsExpress: ratio('standin', 'express'),
        standinVsPrism: ratio('standin', 'prism'),
        strictVsExpress: ratio('strict', 'express'),
        ...(of.before && { standinVsBefore: ratio('standin', 'before') }),
      };
    });
    return {
      connections: options.connections,
      durationSeconds: options.duration,
      rounds: options.rounds,
      scenarios,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

type HotPath = Awaited<ReturnType<typeof hotPath>>;

/**
 * The issue's targets (issues 9 and 21), each judged on the ratio of CPU µs per request in this run: on a shared
 * machine the req/s of a server moves with what else runs, its CPU per request much less (req/s shown beside).
 */
function hotTargets(hot: HotPath): Target[] {
  const scenario = (name: string) => hot.scenarios.find((s) => s.name === name)!;
  const target = (label: string, r: { rps: number; cpu: number }, atLeast: number): Target => ({
    target: `${label} >= ${atLeast}x`,
    value: `CPU ${fmt(r.cpu, 2)}x (req/s ${fmt(r.rps, 2)}x)`,
    holds: r.cpu >= atLeast,
  });
  return [
    target('stateful GET vs bare express', scenario('get').standinVsExpress, 0.8),
    target('stateful GET vs Prism mock', scenario('get').standinVsPrism, 3),
    target('GET /prices/1 vs raw node:http', scenario('get').standinVsNode, 0.5),
    target('GET /prices/1 --strict vs bare express', scenario('get').strictVsExpress, 1),
    target('GET /prices?page[size]=30 vs bare express', scenario('list').standinVsExpress, 1),
    target('POST /prices vs bare express', scenario('post').standinVsExpress, 1.5),
  ];
}

export function hotReport(hot: HotPath): { lines: string[]; targets: Target[] } {
  const shown = SERVERS.filter((t) => hot.scenarios[0]!.servers[t]);
  const rows = [
    [
      'request',
      ...shown.map((t) => (t === 'strict' ? '--strict' : t)),
      'vs node',
      'vs express',
      'strict vs express',
      'vs Prism',
      ...(shown.includes('before') ? ['vs before'] : []),
    ],
  ];
  const cpuRows = [['CPU µs/req (p50/p99 ms)', ...shown.map((t) => (t === 'strict' ? '--strict' : t))]];
  const x = (r: { rps: number; cpu: number }) => `${fmt(r.rps, 2)}x/${fmt(r.cpu, 2)}x`;
  for (const s of hot.scenarios) {
    rows.push([
      `${s.title} ${s.bytes} B`,
      ...shown.map((t) => fmt(s.servers[t]!.rps)),
      x(s.standinVsNode),
      x(s.standinVsExpress),
      x(s.strictVsExpress),
      x(s.standinVsPrism),
      ...(s.standinVsBefore ? [x(s.standinVsBefore)] : []),
    ]);
    cpuRows.push([
      s.title,
      ...shown.map((t) => `${fmt(s.servers[t]!.cpuUs ?? Number.NaN)} (${s.servers[t]!.p50}/${s.servers[t]!.p99})`),
    ]);
  }
  return {
    lines: [
      'Hot path (req/s, median of rounds; ratios as req/s / CPU µs per request)',
      table(rows),
      '',
      table(cpuRows),
      '',
    ],
    targets: hotTargets(hot),
  };
}
