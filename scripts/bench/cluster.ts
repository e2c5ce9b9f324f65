/**
 * `npm run bench -- --only cluster`: a shared Standin's figures (docs/scale.md), in one run.
 *  - Requests per second through HAProxy with 1 and 2 replicas on the Redis store, and straight to one replica (what
 *    the balancer costs), with the CPU each process spent per request: steadier than req/s on a shared machine.
 *  - A write's cost by store: memory, --data and Redis, one replica straight, writes spread over many sandboxes.
 *  - Redis's memory per sandbox (the fixtures and one write), to size a Redis for many sandboxes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { HAPROXY_MISSING, type Replica, startCluster, startReplica } from '../../deploy/cluster.ts';
import { freePort, REDIS_MISSING, startRedis } from '../../suites/support/redis.ts';
import { load, medianOf, type LoadRequest, type LoadResult } from './load.ts';
import { cpuSeconds, newPrice, productiveAuth } from './servers.ts';

export interface ClusterBenchSettings {
  rounds: number;
  /** Seconds of each throughput round. */
  duration: number;
  quick: boolean;
}

const HOST = '127.0.0.1';
const CONNECTIONS = 10;
/** Requests go to this many sandboxes in turn, so that two replicas share them. */
const SPREAD = 64;

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;

/** CPU seconds of several processes together, as load() reads one server's. */
const together = (pids: number[]) => ({ cpuSeconds: () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) });

async function redisPid(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    return Number(/process_id:(\d+)/.exec(await client.info('server'))![1]);
  } finally {
    client.disconnect();
  }
}

const getPrice = (base: string, sandbox: string): LoadRequest => ({
  url: `${base}/productive/api/v2/prices/1`,
  headers: { ...productiveAuth, 'X-Standin-Sandbox': sandbox },
  sandboxes: SPREAD,
});
const postPrice = (base: string, sandbox: string): LoadRequest => ({
  url: `${base}/productive/api/v2/prices`,
  method: 'POST',
  headers: { ...productiveAuth, 'Content-Type': 'application/vnd.api+json', 'X-Standin-Sandbox': sandbox },
  body: newPrice,
  sandboxes: SPREAD,
});

/** HAProxy closes a client's connection after each answer (deploy/haproxy.cfg, option httpclose). */
const throughBalancer = (request: LoadRequest): LoadRequest => ({ ...request, closesConnections: true });

interface Row extends LoadResult {
  rounds: number;
  /** CPU µs per request of the balancer, of the replicas together, and of Redis. */
  balancerCpuUs?: number;
  replicasCpuUs: number;
  redisCpuUs?: number;
}

/** `rounds` rounds of `request` against each target in turn (reversed every other round), medians per target. */
async function measure(
  targets: { name: string; request: LoadRequest; pids: { balancer?: number; replicas: number[]; redis?: number } }[],
  options: { rounds: number; duration?: number; amount?: number },
): Promise<Record<string, Row>> {
  const results: Record<string, { load: LoadResult[]; balancer: number[]; replicas: number[]; redis: number[] }> = {};
  for (const t of targets) await load(t.request, { connections: CONNECTIONS, duration: 1 });
  for (let round = 0; round < options.rounds; round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) {
      const watched = {
        balancer: together(t.pids.balancer ? [t.pids.balancer] : []),
        replicas: together(t.pids.replicas),
        redis: together(t.pids.redis ? [t.pids.redis] : []),
      };
      const before = { b: watched.balancer.cpuSeconds(), r: watched.redis.cpuSeconds() };
      const result = await load(t.request, {
        connections: CONNECTIONS,
        duration: options.duration,
        amount: options.amount,
        server: watched.replicas,
      });
      const perRequest = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, result.requests));
      const entry = (results[t.name] ??= { load: [], balancer: [], replicas: [], redis: [] });
      entry.load.push(result);
      entry.balancer.push(perRequest(watched.balancer.cpuSeconds() - before.b));
      entry.redis.push(perRequest(watched.redis.cpuSeconds() - before.r));
      log(
        `cluster ${t.name} round ${round + 1}: ${Math.round(result.rps)} req/s p50 ${result.p50} p99 ${result.p99} ms, CPU µs/req replicas ${result.cpuUs} balancer ${entry.balancer.at(-1)} redis ${entry.redis.at(-1)}${result.failures ? ` (${result.failures} failed)` : ''}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(
    targets.map((t) => {
      const r = results[t.name]!;
      const row: Row = {
        ...medianOf(r.load),
        replicasCpuUs: medianOf(r.load).cpuUs!,
        balancerCpuUs: t.pids.balancer ? median(r.balancer) : undefined,
        redisCpuUs: t.pids.redis ? median(r.redis) : undefined,
      };
      return [t.name, row];
    }),
  );
}

/** Throughput straight to one replica and through HAProxy to 1 and 2, all on one Redis. */
async function throughput(settings: ClusterBenchSettings, store: string, redis: number) {
  const one = await startCluster({ replicas: 1, store });
  const two = await startCluster({ replicas: 2, store });
  try {
    const pidsOf = (c: typeof one) => ({ balancer: c.balancer.pid, replicas: c.replicas.map((r) => r.pid), redis });
    // Sandboxes of their own per target: a sandbox one cluster's replica holds is refused (503) by the other's.
    const targets = (request: (base: string, sandbox: string) => LoadRequest, sandbox: string) => [
      {
        name: 'direct',
        request: request(one.replicas[0]!.base, `${sandbox}-direct`),
        pids: { replicas: [one.replicas[0]!.pid], redis },
      },
      { name: 'haproxy-1', request: throughBalancer(request(one.url, `${sandbox}-1`)), pids: pidsOf(one) },
      { name: 'haproxy-2', request: throughBalancer(request(two.url, `${sandbox}-2`)), pids: pidsOf(two) },
    ];
    const rounds = { rounds: settings.rounds, duration: settings.duration };
    return {
      get: await measure(targets(getPrice, 'tp-get'), rounds),
      post: await measure(targets(postPrice, 'tp-post'), rounds),
    };
  } finally {
    await one.stop();
    await two.stop();
  }
}

/** A write's cost by store: one replica each, straight, the same writes spread over SPREAD sandboxes. */
async function writeCost(settings: ClusterBenchSettings, store: string, redis: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'standin-bench-cluster-'));
  const replicas: Replica[] = [];
  try {
    const start = async (server: string, serveArgs: string[] = [], withStore?: string) => {
      const replica = await startReplica({ server, host: HOST, port: await freePort(), store: withStore, serveArgs });
      replicas.push(replica);
      return replica;
    };
    const memory = await start('memory');
    const data = await start('data', ['--data', dataDir]);
    const redisStore = await start('redis', [], store);
    const target = (name: string, replica: Replica, withRedis?: number) => ({
      name,
      request: postPrice(replica.base, `cost-${name}`),
      pids: { replicas: [replica.pid], redis: withRedis },
    });
    return await measure([target('memory', memory), target('data', data), target('redis', redisStore, redis)], {
      rounds: settings.rounds,
      amount: settings.quick ? 500 : 2_000,
    });
  } finally {
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Redis's used memory for `count` new sandboxes, each the fixtures and one write, made through one replica. */
async function memoryPerSandbox(settings: ClusterBenchSettings, store: string) {
  const count = settings.quick ? 200 : 1_000;
  const replica = await startReplica({ server: 'memory', host: HOST, port: await freePort(), store });
  const client = new Redis(store);
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const before = await used();
    await load({ ...postPrice(replica.base, 'sized'), sandboxes: count }, { connections: CONNECTIONS, amount: count });
    const after = await used();
    const [key] = await client.keys('*{sized-0}:sandbox');
    const oneKeyBytes = key ? Number(await client.memory('USAGE', key)) : NaN;
    const perSandboxKiB = round1((after - before) / count / 1024);
    log(
      `cluster redis memory: ${count} sandboxes, ${perSandboxKiB} KiB each (one hash: ${round1(oneKeyBytes / 1024)} KiB)`,
    );
    return {
      sandboxes: count,
      usedBeforeMiB: round1(before / 2 ** 20),
      usedAfterMiB: round1(after / 2 ** 20),
      perSandboxKiB,
      oneKeyKiB: round1(oneKeyBytes / 1024),
    };
  } finally {
    client.disconnect();
    await replica.kill('SIGTERM');
  }
}

export type ClusterBench = Awaited<ReturnType<typeof clusterBench>>;

export async function clusterBench(settings: ClusterBenchSettings) {
  const missing = REDIS_MISSING ?? HAPROXY_MISSING;
  if (missing) {
    log(`cluster: skipped: ${missing}`);
    return { skipped: missing } as const;
  }
  const redis = await startRedis();
  try {
    const pid = await redisPid(redis.url);
    const cost = await writeCost(settings, redis.url, pid);
    const rps = await throughput(settings, redis.url, pid);
    const memory = await memoryPerSandbox(settings, redis.url);
    return { spread: SPREAD, connections: CONNECTIONS, throughput: rps, writeCost: cost, redisMemory: memory };
  } finally {
    await redis.stop();
  }
}

const fmt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : String(Math.round(n)));

/** The report's lines for the cluster section. */
export function clusterLines(result: ClusterBench, table: (rows: string[][]) => string): string[] {
  if ('skipped' in result) return [`Cluster: skipped (${result.skipped})`, ''];
  const header = ['', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req: replicas', 'HAProxy', 'Redis'];
  const row = (name: string, r: Row) => [
    name,
    fmt(r.rps),
    String(r.p50),
    String(r.p99),
    fmt(r.replicasCpuUs),
    fmt(r.balancerCpuUs),
    fmt(r.redisCpuUs),
  ];
  const titles: Record<string, string> = {
    direct: '1 replica, straight',
    'haproxy-1': 'HAProxy → 1 replica',
    'haproxy-2': 'HAProxy → 2 replicas',
  };
  const lines = [
    `Cluster: Redis store, ${result.connections} connections, requests spread over ${result.spread} sandboxes`,
  ];
  for (const [kind, rows] of Object.entries(result.throughput)) {
    lines.push(`${kind === 'get' ? 'GET /prices/1' : 'POST /prices'}`);
    lines.push(table([header, ...Object.entries(rows).map(([name, r]) => row(titles[name]!, r))]));
  }
  lines.push('A write by store (POST /prices, one replica, straight)');
  lines.push(
    table([header, ...Object.entries(result.writeCost).map(([name, r]) => row(name === 'data' ? '--data' : name, r))]),
  );
  const m = result.redisMemory;
  lines.push(
    `Redis memory: ${m.sandboxes} sandboxes (fixtures + one write) took ${m.usedBeforeMiB} → ${m.usedAfterMiB} MiB: ${m.perSandboxKiB} KiB each (MEMORY USAGE of one: ${m.oneKeyKiB} KiB)`,
    '',
  );
  return lines;
}
