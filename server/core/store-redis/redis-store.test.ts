/**
 * The Redis store against a real redis-server (suites/support/redis.ts): sandboxes round-trip between servers, a
 * write under an older fencing token is refused, a dead server's lease is taken over once it expires, and bad
 * weather (Redis unreachable at start, lost mid-run, a corrupt key) is answered as documented in docs/serving.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REDIS_MISSING, startRedis, type TestRedis } from '../../../suites/support/redis.ts';
import { serveStandin, type ServedStandin } from '../../../suites/support/serve.ts';
import { createStandin } from '../../app.ts';
import { realTime } from '../sandbox/clock.ts';
import { SandboxUnavailable } from '../sandbox/store.ts';
import { openRedisStore, StoreUnreachable } from './redis-store.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PRODUCTIVE = {
  'x-auth-token': 'productive-test-token',
  'x-organization-id': '572',
  'content-type': 'application/vnd.api+json',
};

const price = (base: string, sandbox: string) =>
  fetch(`${base}/productive/api/v2/prices/1`, { headers: { ...PRODUCTIVE, 'x-standin-sandbox': sandbox } });

/** The price, asked again every 200 ms while the sandbox answers 503 (its lease held elsewhere), for 10 s at most. */
async function priceOnceServed(base: string, sandbox: string): Promise<Response> {
  const asked = Date.now();
  let answer = await price(base, sandbox);
  while (answer.status === 503 && Date.now() - asked < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await price(base, sandbox);
  }
  return answer;
}

const rename = (base: string, sandbox: string, name: string) =>
  fetch(`${base}/productive/api/v2/prices/1`, {
    method: 'PATCH',
    headers: { ...PRODUCTIVE, 'x-standin-sandbox': sandbox },
    body: JSON.stringify({ data: { type: 'prices', attributes: { name } } }),
  });

/** An admin request (a write needs a JSON content type, as the admin guard asks). */
const admin = (base: string, path: string, method = 'GET', body?: unknown) =>
  fetch(`${base}/__standin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const nameOf = async (answer: Response) =>
  ((await answer.json()) as { data: { attributes: { name: string } } }).data.attributes.name;

if (REDIS_MISSING) console.warn(`server/core/store-redis: skipped, ${REDIS_MISSING}`);

describe.skipIf(REDIS_MISSING)(
  REDIS_MISSING ? `the Redis store (skipped: ${REDIS_MISSING})` : 'the Redis store',
  () => {
    let redis: TestRedis;
    let client: Redis;
    const served: ServedStandin[] = [];
    const children: ChildProcess[] = [];

    /** `standin serve --port 0` in a child process, killed after the test. */
    const serveCli = (args: string[], env: Record<string, string> = {}) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/standin.ts', 'serve', '--port', '0', ...args],
        {
          cwd: root,
          env: { ...process.env, NODE_ENV: 'production', VITEST: '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      return child;
    };

    const serve = async (prefix: string, leaseMs = 1_000) => {
      const standin = await serveStandin({ apis: ['productive'], redis: { url: redis.url, prefix, leaseMs } });
      served.push(standin);
      return standin;
    };

    beforeAll(async () => {
      redis = await startRedis();
      client = new Redis(redis.url);
    });
    afterEach(async () => {
      for (const child of children.splice(0)) child.kill('SIGKILL');
      await Promise.allSettled(served.splice(0).map((s) => s.stop()));
    });
    afterAll(async () => {
      client.disconnect();
      await redis?.stop();
    });

    it('keeps a sandbox in Redis: written through one server, read, snapshot, restored, reset and deleted by another', async () => {
      const a = await serve('trip:');
      expect((await rename(a.base, 'ci-1', 'Written by a')).status).toBe(200);
      const snapshot = await (await admin(a.base, 'sandboxes/ci-1/state')).json();
      await a.stop();

      const b = await serve('trip:');
      expect(await nameOf(await price(b.base, 'ci-1'))).toBe('Written by a');
      const listed = (await (await admin(b.base, 'sandboxes')).json()) as { id: string }[];
      expect(listed.map((s) => s.id)).toEqual(['ci-1']);

      await rename(b.base, 'ci-1', 'Changed');
      const restore = await admin(b.base, 'sandboxes/ci-1/state', 'PUT', snapshot);
      expect(restore.status).toBe(200);
      expect(await nameOf(await price(b.base, 'ci-1'))).toBe('Written by a');
      expect(JSON.parse((await client.hget('trip:{ci-1}:sandbox', 'apis'))!).productive).toEqual(
        (snapshot as { apis: { productive: unknown } }).apis.productive,
      );

      expect((await admin(b.base, 'sandboxes/ci-1/reset', 'POST')).status).toBe(200);
      expect(await nameOf(await price(b.base, 'ci-1'))).toBe('Price');
      expect((await admin(b.base, 'sandboxes/ci-1', 'DELETE')).status).toBe(204);
      expect(await client.exists('trip:{ci-1}:sandbox')).toBe(0);
      expect((await admin(b.base, 'sandboxes/ci-1', 'DELETE')).status).toBe(404);
    });

    it("takes a sandbox's fault rules along to the next server", async () => {
      const a = await serve('faults:');
      const added = await admin(a.base, 'sandboxes/f/faults', 'POST', {
        operationId: 'get_price',
        status: 502,
        times: 2,
      });
      expect(added.status).toBe(201);
      expect((await price(a.base, 'f')).status).toBe(502);
      await a.stop();

      const b = await serve('faults:');
      const rules = (await (await admin(b.base, 'sandboxes/f/faults')).json()) as { hits: number }[];
      expect(rules).toMatchObject([{ operationId: 'get_price', status: 502, times: 2, hits: 1 }]);
      expect((await price(b.base, 'f')).status).toBe(502);
      expect((await price(b.base, 'f')).status).toBe(200);
      await admin(b.base, 'sandboxes/f/faults', 'DELETE');
      expect(JSON.parse((await client.hget('faults:{f}:sandbox', 'faults'))!)).toEqual([]);
    });

    it('gives up the lease of a sandbox it drops from memory (--max-sandboxes), and loads it again from Redis', async () => {
      const a = await serveStandin({
        apis: ['productive'],
        maxSandboxes: 1,
        redis: { url: redis.url, prefix: 'lru:' },
      });
      served.push(a);
      await rename(a.base, 'first', 'Kept in Redis');
      await price(a.base, 'second');
      expect(a.standin.store.list().map((s) => s.id)).toEqual(['second']);
      expect(await client.exists('lru:{first}:lease')).toBe(0);
      const b = await serve('lru:', 60_000);
      expect(await nameOf(await price(b.base, 'first'))).toBe('Kept in Redis');
    });

    it('refuses a write carrying an older fencing token than the last handed out', async () => {
      const a = await openRedisStore({ url: redis.url, prefix: 'fence:', leaseMs: 60_000 });
      const b = await openRedisStore({ url: redis.url, prefix: 'fence:', leaseMs: 60_000 });
      try {
        const first = await a.claim('s');
        await expect(b.claim('s')).rejects.toThrow(/served by another Standin/);
        // a pauses past its lease (here: the lease is gone), b takes the sandbox over with a newer token.
        await client.del('fence:{s}:lease');
        const second = await b.claim('s');
        expect(second.token).toBeGreaterThan(first.token);
        const state = (name: string) => ({ clock: realTime(), apis: { who: name } });
        await b.adapter('s', second.token).write(state('b'));
        const stale = a.adapter('s', first.token).write(state('a'));
        await expect(stale).rejects.toBeInstanceOf(SandboxUnavailable);
        await expect(stale).rejects.toThrow(/taken over by another Standin/);
        expect(JSON.parse((await client.hget('fence:{s}:sandbox', 'apis'))!)).toEqual({ who: 'b' });
        expect(a.holds('s', first.token)).toBe(false);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("answers 503 with Retry-After for a sandbox another server holds, and takes it over once a dead server's lease expires", async () => {
      const child = serveCli(['--api', 'productive', '--log', 'off'], {
        STANDIN_STORE: redis.url,
        STANDIN_STORE_LEASE: '1000',
      });
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          const found = /serving on (http:\/\/\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`standin exited with ${code}: ${out}`)));
      });
      expect((await rename(base, 'owned', 'Written before the kill')).status).toBe(200);

      const other = await serve('standin:', 1_000);
      const refused = await price(other.base, 'owned');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await refused.json()) as { errors: { status: string; detail: string }[] };
      expect(body.errors[0]).toMatchObject({
        status: '503',
        detail: expect.stringMatching(/served by another Standin/),
      });

      child.kill('SIGKILL');
      const answer = await priceOnceServed(other.base, 'owned');
      expect(answer.status).toBe(200);
      expect(await nameOf(answer)).toBe('Written before the kill');
    });

    it('lets a sandbox go when it has not been asked for in five leases: the server now asked for it serves it', async () => {
      const first = await serve('idle:', 1_000);
      expect((await rename(first.base, 'idle', 'Written on the first')).status).toBe(200);
      const second = await serve('idle:', 1_000);
      expect((await price(second.base, 'idle')).status).toBe(503);
      const answer = await priceOnceServed(second.base, 'idle');
      expect(answer.status).toBe(200);
      expect(await nameOf(answer)).toBe('Written on the first');
    });

    it('stops with an error naming the address when Redis cannot be reached at start', async () => {
      const port = await freePort();
      await expect(createStandin({ redis: { url: `redis://127.0.0.1:${port}` } })).rejects.toThrow(
        new StoreUnreachable(
          `cannot reach Redis at 127.0.0.1:${port} (--store redis://127.0.0.1:${port}): connect ECONNREFUSED 127.0.0.1:${port}`,
        ),
      );
      const child = serveCli(['--store', `redis://127.0.0.1:${port}`]);
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.once('close', resolve));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^standin: cannot reach Redis at 127\.0\.0\.1:/),
      ]);
    });

    it('refuses writes (503) and says degraded while Redis is lost, and serves again once it is back', async () => {
      const own = await startRedis();
      const standin = await serveStandin({ apis: ['productive'], redis: { url: own.url, leaseMs: 1_000 } });
      served.push(standin);
      expect((await rename(standin.base, 'w', 'Before')).status).toBe(200);
      await own.stop();

      const health = (await (await admin(standin.base, 'health')).json()) as {
        status: string;
        reason: string;
      };
      expect(health).toMatchObject({
        status: 'degraded',
        reason: expect.stringMatching(/Redis at 127\.0\.0\.1:\d+\/0/),
      });
      const refused = await rename(standin.base, 'w', 'During');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { errors: { detail: string }[] };
      expect(body.errors[0]!.detail).toMatch(/cannot reach its store .*sandbox w is not served until it can/);
      // The refused write is in no server's memory: the copy was dropped.
      expect(standin.standin.store.list().map((s) => s.id)).not.toContain('w');

      const back = await startRedis(own.port);
      try {
        await expect
          .poll(async () => ((await (await admin(standin.base, 'health')).json()) as { status: string }).status)
          .toBe('ok');
        expect((await rename(standin.base, 'w', 'After')).status).toBe(200);
        expect(await nameOf(await price(standin.base, 'w'))).toBe('After');
      } finally {
        await standin.stop();
        await back.stop();
      }
    });

    it('refuses a sandbox whose key is corrupt, naming it, and serves the others; a reset repairs it', async () => {
      const standin = await serve('corrupt:');
      await client.hset(
        'corrupt:{broken}:sandbox',
        'clock',
        JSON.stringify(realTime()),
        'apis',
        '{"productive": [trunc',
      );

      const refused = await price(standin.base, 'broken');
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { errors: { detail: string }[] };
      expect(body.errors[0]!.detail).toMatch(
        /^Redis key corrupt:\{broken\}:sandbox is corrupt \(.+\): sandbox broken is refused until it is reset \(POST \/__standin\/sandboxes\/broken\/reset\) or deleted$/,
      );
      expect((await price(standin.base, 'fine')).status).toBe(200);
      const state = await admin(standin.base, 'sandboxes/broken/state');
      expect(state.status).toBe(503);

      expect((await admin(standin.base, 'sandboxes/broken/reset', 'POST')).status).toBe(200);
      expect((await price(standin.base, 'broken')).status).toBe(200);
    });
  },
);
