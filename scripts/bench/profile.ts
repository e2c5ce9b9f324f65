/**
 * CPU profile of Standin under one benchmark request: `tsx scripts/bench/profile.ts get|list|post [seconds] [records]`.
 * Starts `standin serve` with --cpu-prof, loads it with autocannon, stops it and prints the functions with the most
 * self time (the .cpuprofile is kept under reports/bench/ for a flame view in Chrome DevTools or speedscope).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { productiveStateWithPrices } from '../../fixtures/productive/generate.ts';
import { load } from './load.ts';
import { http, productiveAuth, root, startStandin } from './servers.ts';

const [scenario = 'get', seconds = '5', records = '100', dataDir] = process.argv.slice(2);
const dir = join(root, 'reports/bench/profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const standin = await startStandin({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], dataDir });
await http(`${standin.base}/__standin/sandboxes/bench/reset`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
});
const state = await http(`${standin.base}/__standin/sandboxes/bench/state`);
const sandbox = JSON.parse(state.body.toString());
sandbox.apis.productive = productiveStateWithPrices(Number(records), { seed: 1 });
const put = await http(`${standin.base}/__standin/sandboxes/bench/state`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(sandbox),
});
if (put.status !== 200) throw new Error(`seed: ${put.status}`);
const headers = { ...productiveAuth, 'X-Standin-Sandbox': 'bench', 'Content-Type': 'application/vnd.api+json' };
const body = JSON.stringify({
  data: {
    type: 'prices',
    attributes: { name: 'Bench price', unit_id: 1, currency: 'EUR' },
    relationships: { company: { data: { type: 'companies', id: '1926' } } },
  },
});
const url = `${standin.base}/productive/api/v2/prices${scenario === 'get' ? '/1' : scenario === 'list' ? '?page%5Bsize%5D=30' : ''}`;
const result = await load(
  { url, method: scenario === 'post' ? 'POST' : 'GET', headers, body: scenario === 'post' ? body : undefined },
  { connections: 10, duration: Number(seconds) },
);
console.log(
  `${scenario}: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.failures} failed`,
);
await standin.stop();

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
if (!file) throw new Error('no profile written');
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
// Only the load: the last `seconds` before the shutdown, not the start-up (see the cold start for that).
const at: number[] = [];
profile.timeDeltas.reduce((t, d, i) => (at[i] = t + d), 0);
const end = at.at(-1)! - 300_000;
const start = end - Number(seconds) * 1e6 + 300_000;
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (at[i]! >= start && at[i]! <= end) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
/** A frame's file, relative to the checkout; the bundle `npm start` runs (server/, fixtures/ and scripts/) as standin/. */
const fileOf = (url: string) =>
  url.includes('/.cache/standin/build/')
    ? `standin/${url.split('/').pop()}`
    : url.replace(/^file:\/\//, '').replace(root, '');
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const t = self.get(node.id) ?? 0;
  total += t;
  const where = fileOf(node.callFrame.url);
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + t);
  const area = where.includes('node_modules/')
    ? `node_modules/${where
        .split('node_modules/')
        .pop()!
        .split('/')
        .slice(0, where.includes('node_modules/@') ? 2 : 1)
        .join('/')}`
    : where || node.callFrame.functionName;
  byFile.set(area, (byFile.get(area) ?? 0) + t);
}
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  `profile: reports/bench/profiles/${file}\n\nself time by function:\n${top(byFunction, 25)}\n\nself time by file / package:\n${top(byFile, 15)}`,
);

// Inclusive time of Standin's own functions (their callees included): where the request's time goes, by stage.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const inclusive = new Map<string, number>();
const walk = (node: Node, seen: Set<string>): number => {
  let t = self.get(node.id) ?? 0;
  const where = fileOf(node.callFrame.url);
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  const own = /^(server|fixtures|standin|dist)\//.test(where) && !seen.has(key);
  const next = own ? new Set(seen).add(key) : seen;
  for (const child of node.children ?? []) t += walk(byId.get(child)!, next);
  if (own) inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  return t;
};
walk(profile.nodes[0]!, new Set());
console.log(`\ninclusive time of Standin's functions:\n${top(inclusive, 25)}`);
