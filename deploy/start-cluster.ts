/**
 * `npm run cluster -- --replicas 3 [--port 4010] [--redis redis://host:port/db]`: a shared Standin on this machine,
 * Redis (a throwaway redis-server unless --redis names one), N replicas and HAProxy in front. Prints the URL; Ctrl-C
 * stops everything it started.
 */
import { parseArgs } from 'node:util';
import { startRedis, type TestRedis } from '../suites/support/redis.ts';
import { startCluster } from './cluster.ts';

const { values: args } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    redis: { type: 'string' },
  },
});

function count(value: string, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`start-cluster: --${name} must be a whole number from 1 to ${max}, not ${value}`);
    process.exit(2);
  }
  return n;
}

const replicas = count(args.replicas, 'replicas', 64);
const port = count(args.port, 'port', 65535);
let redis: TestRedis | undefined;
if (!args.redis) redis = await startRedis();
const store = args.redis ?? redis!.url;
try {
  const cluster = await startCluster({ replicas, port, host: args.host, store });
  console.log(
    `standin cluster: ${cluster.url} (HAProxy) → ${replicas} replica(s) on ${cluster.replicas.map((r) => r.port).join(', ')}, store ${store}${redis ? ' (a throwaway redis-server: nothing is saved)' : ''}`,
  );
  console.log('Ctrl-C stops it');
  const stop = async (signal: string) => {
    console.log(`start-cluster: ${signal}, stopping`);
    await cluster.stop();
    await redis?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  console.error(`start-cluster: ${(error as Error).message}`);
  await redis?.stop();
  process.exit(1);
}
