/**
 * A shared Standin surviving a replica's death (docs/scale.md): Redis, 3 replicas (`standin serve --store redis://`)
 * and HAProxy (deploy/haproxy.cfg) on loopback. 200 sandboxes are written through the balancer (Productive prices,
 * one name per write); one replica is killed with SIGKILL mid-run. Then: every write acknowledged more than the
 * store's window before the kill reads back through the balancer, and so does every write a survivor acknowledged;
 * no write was applied twice; no sandbox was written by two replicas at once (the balancer's owner log, and Redis's
 * last writer and fencing token); no 5xx but the documented 503s with Retry-After, in the vendor's format: for the
 * killed replica's sandboxes until their leases expire, and for a request that was in flight on it when it died,
 * saying that its outcome is unknown. A replica stand-in that dies on cue shows the last case on every path, and
 * that HAProxy never sends such a request again.
 */
import { createServer, request, Agent, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BALANCER_ERRORS,
  HAPROXY_MISSING,
  REPLICA_HEADER,
  startBalancer,
  startCluster,
  untilAnswers,
  type Cluster,
  type Process,
  writeErrorPages,
} from '../../deploy/cluster.ts';
import { freePort, REDIS_MISSING, startRedis, type TestRedis } from '../support/redis.ts';
import { productivePrice } from './support.ts';

const MISSING = REDIS_MISSING ?? HAPROXY_MISSING;
const SANDBOXES = 200;
const WORKERS = 16;
/** Lease of a replica on its sandboxes: the gap a killed replica's sandboxes wait before a survivor serves them. */
const LEASE_MS = 2_000;
/** What the Redis store may lose of acknowledged writes on a crash (docs/scale.md): none, it writes through. */
const STORE_WINDOW_MS = 0;
/** How long after the kill a 503 may still be answered: the lease, plus a busy machine's delays. */
const GAP_MS = LEASE_MS + 3_000;
const KILL_AFTER_MS = 2_500;
/** The run goes on until every sandbox has had a write acknowledged after the kill, or this long. */
const RUN_LIMIT_MS = 25_000;

const auth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

interface Write {
  sandbox: string;
  name: string;
  sentAt: number;
  answeredAt: number;
  status: number;
  replica: string | null;
  retryAfter: string | null;
  body: string;
}

const sandboxName = (n: number) => `cluster-${n}`;

describe.skipIf(MISSING)(`a shared Standin behind HAProxy${MISSING ? ` (${MISSING})` : ''}`, () => {
  let redis: TestRedis;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startCluster({
      replicas: 3,
      store: redis.url,
      serveArgs: ['--store-lease', String(LEASE_MS)],
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
  });

  const post = async (sandbox: string, name: string): Promise<Write> => {
    const sentAt = Date.now();
    try {
      const res = await fetch(`${cluster.url}/productive/api/v2/prices`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/vnd.api+json', 'X-Standin-Sandbox': sandbox },
        body: productivePrice(name),
      });
      const body = await res.text();
      return {
        sandbox,
        name,
        sentAt,
        answeredAt: Date.now(),
        status: res.status,
        replica: res.headers.get(REPLICA_HEADER),
        retryAfter: res.headers.get('retry-after'),
        body,
      };
    } catch (error) {
      return {
        sandbox,
        name,
        sentAt,
        answeredAt: Date.now(),
        status: 0,
        replica: null,
        retryAfter: null,
        body: `${error} (${(error as Error).cause})`,
      };
    }
  };

  it('routes a sandbox to one replica, by header or admin path, and no sandbox to the default one', async () => {
    const viaHeader = await fetch(`${cluster.url}/productive/api/v2/prices/1`, {
      headers: { ...auth, 'X-Standin-Sandbox': 'routing-a' },
    });
    const viaAdmin = await fetch(`${cluster.url}/__standin/sandboxes/routing-a/clock`);
    const none = await fetch(`${cluster.url}/productive/api/v2/prices/1`, { headers: auth });
    const named = await fetch(`${cluster.url}/productive/api/v2/prices/1`, {
      headers: { ...auth, 'X-Standin-Sandbox': 'default' },
    });
    const answers = [viaHeader, viaAdmin, none, named];
    expect(await Promise.all(answers.map(async (r) => `${r.status} ${await r.text()}`.slice(0, 300)))).toEqual(
      answers.map(() => expect.stringMatching(/^200 /)),
    );
    expect(viaAdmin.headers.get(REPLICA_HEADER)).toBe(viaHeader.headers.get(REPLICA_HEADER));
    expect(none.headers.get(REPLICA_HEADER)).toBe(named.headers.get(REPLICA_HEADER));
    const replicas = new Set<string | null>();
    for (let n = 0; n < 30; n++) {
      const res = await fetch(`${cluster.url}/__standin/health`, { headers: { 'X-Standin-Sandbox': `spread-${n}` } });
      replicas.add(res.headers.get(REPLICA_HEADER));
    }
    expect(replicas.size, 'thirty sandboxes spread over the three replicas').toBe(3);
  });

  it('keeps every acknowledged write when a replica dies, one writer per sandbox', async () => {
    const writes: Write[] = [];
    const writtenAfterKill = new Set<string>();
    const started = Date.now();
    let killedAt = Infinity;
    let diedAt = Infinity;
    let next = 0;
    const worker = async () => {
      while (Date.now() - started < RUN_LIMIT_MS && writtenAfterKill.size < SANDBOXES) {
        const n = next++;
        const sandbox = sandboxName(n % SANDBOXES);
        const write = await post(sandbox, `${sandbox}-w${n}`);
        writes.push(write);
        if (write.status === 201 && write.sentAt > killedAt) writtenAfterKill.add(sandbox);
      }
    };
    const victim = cluster.replicas[1]!;
    const kill = (async () => {
      await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
      killedAt = Date.now();
      await victim.kill('SIGKILL');
      diedAt = Date.now();
    })();
    await Promise.all([kill, ...Array.from({ length: WORKERS }, worker)]);

    expect(writtenAfterKill.size, 'every sandbox written again after the kill').toBe(SANDBOXES);
    const acknowledged = writes.filter((w) => w.status === 201);
    const before = acknowledged.filter((w) => w.answeredAt < killedAt);
    const victimSandboxes = new Set(before.filter((w) => w.replica === victim.server).map((w) => w.sandbox));
    expect(victimSandboxes.size, 'sandboxes the victim had written').toBeGreaterThan(20);

    // No 5xx but the documented ones (docs/scale.md): 503s with Retry-After in the vendor's format, in the lease gap.
    // A request the victim may have received before it died says that its outcome is unknown.
    const unknownOutcome = (w: Write) => w.body.includes(BALANCER_ERRORS[502].message);
    const documented = (w: Write) =>
      w.status === 503 &&
      w.retryAfter !== null &&
      w.answeredAt >= killedAt &&
      w.sentAt <= killedAt + GAP_MS &&
      (!unknownOutcome(w) || w.sentAt <= diedAt);
    const unexpected = writes.filter((w) => w.status !== 201 && !documented(w));
    expect(
      unexpected.map(
        (w) =>
          `${w.sandbox} ${w.status} ${w.replica} sent ${w.sentAt - killedAt} answered ${w.answeredAt - killedAt} ms after the kill: ${w.body.slice(0, 200)}`,
      ),
    ).toEqual([]);
    for (const w of writes.filter((w) => w.status === 503))
      expect(JSON.parse(w.body).errors[0]).toMatchObject({ status: '503', code: 'service_unavailable' });

    // One writer per sandbox: the victim until it died, then one survivor, never back.
    const bySandbox = new Map<string, Write[]>();
    for (const w of [...acknowledged].sort((a, b) => a.answeredAt - b.answeredAt))
      bySandbox.set(w.sandbox, [...(bySandbox.get(w.sandbox) ?? []), w]);
    const owners = new Map<string, string>();
    for (const [sandbox, list] of bySandbox) {
      const sequence = list.map((w) => w.replica!).filter((r, i, all) => r !== all[i - 1]);
      expect(sequence.length, `${sandbox} written by ${sequence.join(' then ')}`).toBeLessThanOrEqual(2);
      if (sequence.length === 2) expect(sequence[0], `${sandbox} moved away from a live replica`).toBe(victim.server);
      owners.set(sandbox, sequence.at(-1)!);
    }

    // What Redis holds agrees: each sandbox's last write carries its newest fencing token, by its last owner.
    const client = new Redis(redis.url);
    try {
      const writers = new Map<string, string>();
      for (let n = 0; n < SANDBOXES; n++) {
        const sandbox = sandboxName(n);
        const [record, fence] = await Promise.all([
          client.hgetall(`standin:{${sandbox}}:sandbox`),
          client.get(`standin:{${sandbox}}:fence`),
        ]);
        expect(record.token, `${sandbox}: the last write's token is the newest`).toBe(fence);
        writers.set(sandbox, record.writer!);
      }
      const writerOf = new Map<string, string>();
      for (const [sandbox, replica] of owners) {
        const writer = writers.get(sandbox)!;
        expect(writerOf.get(writer) ?? replica, `${writer} is one replica`).toBe(replica);
        writerOf.set(writer, replica);
      }
    } finally {
      client.disconnect();
    }

    // Every write acknowledged before the store's window, or by a survivor, reads back through the balancer.
    const mustReadBack = acknowledged.filter(
      (w) => w.answeredAt < killedAt - STORE_WINDOW_MS || w.replica !== victim.server,
    );
    const names = new Map<string, string[]>();
    for (let n = 0; n < SANDBOXES; n++) {
      const sandbox = sandboxName(n);
      const res = await fetch(`${cluster.url}/productive/api/v2/prices?page%5Bsize%5D=200`, {
        headers: { ...auth, 'X-Standin-Sandbox': sandbox },
      });
      expect(
        res.status,
        `${sandbox} read back: ${res.status} ${res.status === 200 ? '' : await res.clone().text()}`,
      ).toBe(200);
      const list = (await res.json()) as { data: { attributes: { name: string } }[] };
      expect(list.data.length, `${sandbox}: every price on one page`).toBeLessThan(200);
      names.set(
        sandbox,
        list.data.map((p) => p.attributes.name),
      );
    }
    const lost = mustReadBack.filter((w) => !names.get(w.sandbox)!.includes(w.name));
    expect(lost.map((w) => `${w.name} (${w.replica}, ${killedAt - w.answeredAt} ms before the kill)`)).toEqual([]);
    const appliedTwice = [...names.values()].flatMap((list) => list.filter((name, i) => list.indexOf(name) !== i));
    expect(appliedTwice, 'writes applied twice').toEqual([]);

    const inFlight = writes.filter(unknownOutcome);
    const applied = inFlight.filter((w) => names.get(w.sandbox)!.includes(w.name)).length;
    const standin503 = writes.filter((w) => w.status === 503 && w.replica !== null).length;
    console.log(
      `cluster: ${writes.length} writes in ${Date.now() - started} ms, ${acknowledged.length} acknowledged (${before.length} before the kill, ${mustReadBack.length} read back); ` +
        `503: ${writes.filter((w) => w.status === 503).length} (${standin503} from a replica waiting for the lease, ${writes.filter((w) => w.status === 503 && w.replica === null).length - inFlight.length} from HAProxy: not reached, ${inFlight.length} from HAProxy: in flight at the death, outcome unknown, of which ${applied} applied and ${inFlight.length - applied} not); ` +
        `other non-2xx: ${writes.filter((w) => w.status !== 201 && w.status !== 503).length}; died ${diedAt - killedAt} ms after SIGKILL; ` +
        `sandboxes moved: ${[...bySandbox.values()].filter((l) => new Set(l.map((w) => w.replica)).size > 1).length}`,
    );
  }, 90_000);
});

/**
 * A replica stand-in on loopback that answers health checks and POSTs, and dies on cue: a request carrying DIE_HEADER
 * has its connection closed without an answer (FIN, or RST as when unread data was in the socket), as when the
 * replica is killed with it in flight, while the port goes on accepting, as a replica restarted at once would.
 */
const DIE_HEADER = 'x-test-die';

function dyingReplica(port: number) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      if (req.url === '/__standin/health') return void res.end('{"status":"ok"}');
      received.push(String(req.headers['x-test-case']));
      const death = req.headers[DIE_HEADER];
      if (death === 'rst') req.socket.resetAndDestroy();
      else if (death === 'fin') req.socket.destroy();
      else res.writeHead(201, { 'Content-Type': 'application/vnd.api+json' }).end('{}');
    });
  });
  server.listen(port, '127.0.0.1');
  return {
    /** The x-test-case header of every request that reached it, in order. */
    received,
    stop: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(url: string, agent: Agent, method: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.once('error', (error) => resolve({ status: 0, headers: {}, body: String(error) }));
    req.end(body);
  });
}

describe("the balancer's own answers", () => {
  it('says a replica too slow to answer is a gateway timeout, in the vendor format, never an injected fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-errors-'));
    try {
      writeErrorPages(dir);
      const page = readFileSync(join(dir, 'productive.504.http'), 'utf8');
      const [head, body] = page.split('\r\n\r\n');
      expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 504 Gateway Timeout');
      expect(JSON.parse(body!)).toEqual({
        errors: [
          { status: '504', code: 'gateway_timeout', title: 'Gateway Timeout', detail: BALANCER_ERRORS[504].message },
        ],
      });
      expect(JSON.parse(readFileSync(join(dir, 'togai.504.http'), 'utf8').split('\r\n\r\n')[1]!)).toMatchObject({
        message: BALANCER_ERRORS[504].message,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(HAPROXY_MISSING)(
  `a request in flight on a replica that dies${HAPROXY_MISSING ? ` (${HAPROXY_MISSING})` : ''}`,
  () => {
    let replica: ReturnType<typeof dyingReplica>;
    let balancer: Process;
    let url: string;
    let configDir: string;

    beforeAll(async () => {
      const replicaPort = await freePort();
      replica = dyingReplica(replicaPort);
      configDir = mkdtempSync(join(tmpdir(), 'standin-balancer-'));
      const port = await freePort();
      balancer = startBalancer(
        { host: '127.0.0.1', port, replicaPorts: [replicaPort], errorsDir: join(configDir, 'errors') },
        configDir,
      );
      url = `http://127.0.0.1:${port}`;
      await untilAnswers(balancer, `${url}/__standin/health`, 10_000);
    }, 30_000);

    afterAll(async () => {
      await balancer?.kill('SIGTERM');
      replica?.stop();
      rmSync(configDir, { recursive: true, force: true });
    });

    it('is answered 503 with Retry-After in the vendor format, outcome unknown, and never sent again', async () => {
      const cases = (['fin', 'rst'] as const).flatMap((death) =>
        [false, true].flatMap((afterAnother) =>
          [300, 40_000].map((size) => ({
            death,
            afterAnother,
            size,
            name: `${death} ${afterAnother ? 'second' : 'first'} ${size}`,
          })),
        ),
      );
      const answers = new Map<string, Answer>();
      for (const c of cases) {
        // One connection, kept when the balancer lets it: a request after another on it, or its first.
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const headers = {
          'X-Standin-Sandbox': 'dying',
          'x-test-case': c.name,
          'Content-Type': 'application/vnd.api+json',
        };
        if (c.afterAnother)
          expect((await send(`${url}/productive/api/v2/prices`, agent, 'POST', headers)).status).toBe(201);
        const body = JSON.stringify({ data: { type: 'prices', attributes: { name: 'x'.repeat(c.size) } } });
        answers.set(
          c.name,
          await send(`${url}/productive/api/v2/prices`, agent, 'POST', { ...headers, [DIE_HEADER]: c.death }, body),
        );
        agent.destroy();
      }
      // Longer than HAProxy's turn-around before a retry (1 s): a request sent again would have reached the replica.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const seen = cases.map((c) => {
        const answer = answers.get(c.name)!;
        const error = answer.status === 503 ? JSON.parse(answer.body).errors[0] : answer.body.slice(0, 100);
        return { case: c.name, status: answer.status, retryAfter: answer.headers['retry-after'], error };
      });
      expect(seen).toEqual(
        cases.map((c) => ({
          case: c.name,
          status: 503,
          retryAfter: '1',
          error: {
            status: '503',
            code: 'service_unavailable',
            title: 'Service Unavailable',
            detail: BALANCER_ERRORS[502].message,
          },
        })),
      );
      const sent = cases.map((c) => ({
        case: c.name,
        sent: replica.received.filter((name) => name === c.name).length,
      }));
      expect(sent).toEqual(cases.map((c) => ({ case: c.name, sent: c.afterAnother ? 2 : 1 })));
    }, 60_000);
  },
);
