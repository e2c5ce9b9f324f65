/**
 * The Redis store (`standin serve --store redis://host:port[/db]`): every sandbox's state in one Redis hash, and one
 * server at a time holding a sandbox by a lease with a fencing token (scripts.ts). A server renews its leases every
 * third of their TTL; one that dies loses them when they expire, and the next server to be asked for a sandbox
 * takes it over with a newer token, after which a write of the dead one's (a paused process coming back) is refused.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Adapter } from 'lowdb';
import type { FaultRule } from '../faults.ts';
import type { ClockState } from '../sandbox/clock.ts';
import {
  type Claim,
  CorruptSandbox,
  type SandboxState,
  SandboxUnavailable,
  type SharedBackend,
  type StoredSandbox,
} from '../sandbox/store.ts';
import { ACQUIRE, RELEASE, REMOVE, RENEW, WRITE, WRITE_FAULTS } from './scripts.ts';

export const DEFAULT_LEASE_MS = 5_000;
export const DEFAULT_PREFIX = 'standin:';

export interface RedisStoreOptions {
  /** redis://host:port[/db] */
  url: string;
  /** Put before every key (default `standin:`); several Standins may share a Redis with different prefixes. */
  prefix?: string;
  /** How long a lease lasts unless renewed (default 5 s): a dead server's sandboxes wait this long for another. */
  leaseMs?: number;
}

/** Redis cannot be reached when the server starts. */
export class StoreUnreachable extends Error {}

type Acquired = [1, number, string | null, string | null, string | null] | [0, number, string];

interface Scripts {
  acquire(lease: string, fence: string, sandbox: string, owner: string, ttl: number): Promise<Acquired>;
  renew(lease: string, held: string, ttl: number): Promise<number>;
  write(
    sandbox: string,
    fence: string,
    lease: string,
    token: number,
    owner: string,
    ttl: number,
    clock: string,
    apis: string,
    writtenAt: string,
  ): Promise<number>;
  writeFaults(sandbox: string, fence: string, token: number, faults: string): Promise<number>;
  remove(sandbox: string, fence: string, lease: string, token: number): Promise<number>;
  release(lease: string, held: string): Promise<number>;
}

/** A pipeline with the scripts as commands (defineCommand adds them; ioredis cannot type them). */
interface ScriptPipeline {
  renew(lease: string, held: string, ttl: number): ScriptPipeline;
  release(lease: string, held: string): ScriptPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}

const PREFIX = /^[A-Za-z0-9:._-]{0,64}$/;

/** The parts of a redis:// URL the client takes; an error names what is wrong. */
export function parseRedisUrl(url: string): { host: string; port: number; db: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreUnreachable(`--store ${url}: not a URL; give redis://host:port[/db]`);
  }
  if (parsed.protocol !== 'redis:') throw new StoreUnreachable(`--store ${url}: give redis://host:port[/db]`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db && !/^\d{1,2}$/.test(db)) throw new StoreUnreachable(`--store ${url}: the database is a number (/0 to /15)`);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379), db: Number(db || 0) };
}

/** Opens the store: connected, or a StoreUnreachable naming the address and why. */
export async function openRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const { host, port, db } = parseRedisUrl(options.url);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (!PREFIX.test(prefix))
    throw new StoreUnreachable(`--store-prefix ${prefix}: at most 64 letters, digits, ":", ".", "_" or "-"`);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const redis = new Redis({
    host,
    port,
    db,
    lazyConnect: true,
    // A command while Redis is away fails at once (a 503), rather than waiting in a queue while leases expire.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: Math.max(500, Math.floor(leaseMs / 3)),
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StoreUnreachable(
      `cannot reach Redis at ${host}:${port} (--store ${options.url}): ${lastError || (error as Error).message}`,
    );
  }
  return new RedisStore(redis, `${host}:${port}/${db}`, prefix, leaseMs, () => lastError);
}

function parsedClock(text: string | null | undefined): ClockState | undefined {
  try {
    const clock = JSON.parse(text ?? 'null') as ClockState | null;
    return clock && typeof clock === 'object' ? clock : undefined;
  } catch {
    return undefined;
  }
}

interface Lease {
  token: number;
  /** Date.now() before which the lease surely holds: its last renewal was sent then, plus 2/3 of the TTL. */
  validUntil: number;
}

export class RedisStore implements SharedBackend {
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leases = new Map<string, Lease>();
  private readonly lostListeners: ((id: string) => void)[] = [];
  /** Told of the fault rules saved with a sandbox this server loads (FaultStore.load). */
  onFaults: ((id: string, rules: FaultRule[]) => void) | undefined;
  private readonly scripts: Scripts;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    readonly address: string,
    private readonly prefix: string,
    readonly leaseMs: number,
    private readonly lastError: () => string,
  ) {
    redis.defineCommand('acquire', { lua: ACQUIRE, numberOfKeys: 3 });
    redis.defineCommand('renew', { lua: RENEW, numberOfKeys: 1 });
    redis.defineCommand('write', { lua: WRITE, numberOfKeys: 3 });
    redis.defineCommand('writeFaults', { lua: WRITE_FAULTS, numberOfKeys: 2 });
    redis.defineCommand('remove', { lua: REMOVE, numberOfKeys: 3 });
    redis.defineCommand('release', { lua: RELEASE, numberOfKeys: 1 });
    this.scripts = redis as unknown as Scripts;
    this.renewal = setInterval(() => void this.renewAll(), Math.floor(leaseMs / 3));
    this.renewal.unref();
  }

  private key(id: string, part: 'sandbox' | 'lease' | 'fence'): string {
    return `${this.prefix}{${id}}:${part}`;
  }

  private held(token: number): string {
    return `${this.owner}|${token}`;
  }

  /** A Redis failure as the refusal a client gets: 503, retry in a second. */
  private unreachable(id: string | undefined, error: unknown): SandboxUnavailable {
    // Not connected, ioredis says "Stream isn't writeable and enableOfflineQueue options is false": say why instead.
    const why = this.redis.status === 'ready' ? (error as Error).message : this.lastError() || 'not connected';
    return new SandboxUnavailable(
      id,
      `Standin cannot reach its store (Redis at ${this.address}: ${why}); ${id ? `sandbox ${id} is` : 'sandboxes are'} not served until it can`,
      1,
    );
  }

  /** A command's answer; a failure to reach Redis as the 503 it answers. */
  private async asked<T>(id: string | undefined, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw this.unreachable(id, error);
    }
  }

  private takenOver(id: string): SandboxUnavailable {
    return new SandboxUnavailable(id, `sandbox ${id} was taken over by another Standin; ask again`, 1);
  }

  async claim(id: string): Promise<Claim> {
    const sentAt = Date.now();
    const answer = await this.asked(id, () =>
      this.scripts.acquire(
        this.key(id, 'lease'),
        this.key(id, 'fence'),
        this.key(id, 'sandbox'),
        this.owner,
        this.leaseMs,
      ),
    );
    if (answer[0] === 0) {
      const seconds = Math.max(1, Math.ceil(answer[1] / 1000));
      throw new SandboxUnavailable(
        id,
        `sandbox ${id} is served by another Standin (${answer[2]}) for up to ${seconds} s more: ask again then, or through the balancer`,
        seconds,
      );
    }
    const [, token, clock, apis, faults] = answer;
    this.leases.set(id, { token, validUntil: sentAt + (this.leaseMs * 2) / 3 });
    return {
      token,
      saved: () => {
        const state = this.parse(id, clock, apis, faults);
        this.onFaults?.(id, state?.faults ?? []);
        return state && { clock: state.clock, apis: state.apis };
      },
    };
  }

  private parse(id: string, clock: string | null, apis: string | null, faults: string | null) {
    if (clock === null && apis === null) return undefined;
    const key = this.key(id, 'sandbox');
    try {
      const state = {
        clock: JSON.parse(clock ?? 'null') as ClockState,
        apis: JSON.parse(apis ?? 'null') as Record<string, unknown>,
        faults: JSON.parse(faults ?? '[]') as FaultRule[],
      };
      if (!state.clock || typeof state.clock !== 'object') throw new Error('its clock is not an object');
      if (!state.apis || typeof state.apis !== 'object') throw new Error('its apis are not an object');
      if (!Array.isArray(state.faults)) throw new Error('its faults are not a list');
      return state;
    } catch (error) {
      throw new CorruptSandbox(id, `Redis key ${key} is corrupt (${(error as Error).message})`);
    }
  }

  /** Saves a sandbox's fault rules beside its state, under this server's lease (none: it left this server). */
  async writeFaults(id: string, rules: FaultRule[]): Promise<void> {
    const lease = this.leases.get(id);
    if (!lease) return;
    const written = await this.asked(id, () =>
      this.scripts.writeFaults(this.key(id, 'sandbox'), this.key(id, 'fence'), lease.token, JSON.stringify(rules)),
    );
    if (!written) {
      this.lose(id, lease.token);
      throw this.takenOver(id);
    }
  }

  holds(id: string, token: number): boolean {
    const lease = this.leases.get(id);
    return lease !== undefined && lease.token === token && Date.now() < lease.validUntil;
  }

  adapter(id: string, token: number): Adapter<SandboxState> {
    return {
      read: async () => null,
      write: (state) => this.write(id, token, state),
    };
  }

  private async write(id: string, token: number, state: SandboxState): Promise<void> {
    const sentAt = Date.now();
    const written = await this.asked(id, () =>
      this.scripts.write(
        this.key(id, 'sandbox'),
        this.key(id, 'fence'),
        this.key(id, 'lease'),
        token,
        this.owner,
        this.leaseMs,
        JSON.stringify(state.clock),
        JSON.stringify(state.apis),
        new Date().toISOString(),
      ),
    );
    if (!written) {
      this.lose(id, token);
      throw this.takenOver(id);
    }
    const lease = this.leases.get(id);
    if (lease?.token === token) lease.validUntil = sentAt + (this.leaseMs * 2) / 3;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.asked(id, () => this.redis.exists(this.key(id, 'sandbox')))) === 1;
  }

  async remove(id: string): Promise<boolean> {
    const { token } = await this.claim(id);
    const removed = await this.asked(id, () =>
      this.scripts.remove(this.key(id, 'sandbox'), this.key(id, 'fence'), this.key(id, 'lease'), token),
    );
    this.leases.delete(id);
    if (removed < 0) throw this.takenOver(id);
    return removed === 1;
  }

  release(id: string): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    this.leases.delete(id);
    this.scripts.release(this.key(id, 'lease'), this.held(lease.token)).catch(() => undefined);
  }

  /** Every sandbox in the store, read with SCAN (each key once, in batches; Redis serves others between them). */
  async list(): Promise<StoredSandbox[]> {
    return this.asked(undefined, () => this.scan());
  }

  private async scan(): Promise<StoredSandbox[]> {
    const ids: string[] = [];
    const pattern = `${this.prefix}{*}:sandbox`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) ids.push(key.slice(this.prefix.length + 1, -'}:sandbox'.length));
    } while (cursor !== '0');
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.key(id, 'sandbox'), 'clock', 'writtenAt');
    const rows = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i): StoredSandbox[] => {
      const [error, values] = rows[i] ?? [];
      const [clock, writtenAt] = (values ?? []) as (string | null)[];
      // Deleted between the SCAN and the HMGET.
      if (error || (clock === null && writtenAt === null)) return [];
      return [{ id, clock: parsedClock(clock), writtenAt: writtenAt ?? undefined }];
    });
  }

  degraded(): string | undefined {
    if (this.redis.status === 'ready') return undefined;
    return `the store (Redis at ${this.address}) is unreachable (${this.lastError() || this.redis.status}): writes are refused (503) until it is back`;
  }

  onLost(listener: (id: string) => void): void {
    this.lostListeners.push(listener);
  }

  private lose(id: string, token: number): void {
    if (this.leases.get(id)?.token !== token) return;
    this.leases.delete(id);
    for (const listener of this.lostListeners) listener(id);
  }

  /** Extends every lease this server holds, in one pipeline; a lease found taken is lost (its copy dropped). */
  private async renewAll(): Promise<void> {
    if (!this.leases.size || this.redis.status !== 'ready') return;
    const sentAt = Date.now();
    const held = [...this.leases].map(([id, lease]) => ({ id, lease }));
    const pipeline = this.redis.pipeline() as unknown as ScriptPipeline;
    for (const { id, lease } of held) pipeline.renew(this.key(id, 'lease'), this.held(lease.token), this.leaseMs);
    let rows: [Error | null, unknown][];
    try {
      rows = (await pipeline.exec()) ?? [];
    } catch {
      return;
    }
    held.forEach(({ id, lease }, i) => {
      const [error, renewed] = rows[i] ?? [new Error('no answer'), 0];
      if (error) return;
      if (renewed === 1) lease.validUntil = sentAt + (this.leaseMs * 2) / 3;
      else this.lose(id, lease.token);
    });
  }

  /** Gives up every lease (another server may take the sandboxes at once) and disconnects. */
  async close(): Promise<void> {
    clearInterval(this.renewal);
    const held = [...this.leases];
    this.leases.clear();
    if (this.redis.status === 'ready') {
      const pipeline = this.redis.pipeline() as unknown as ScriptPipeline;
      for (const [id, lease] of held) pipeline.release(this.key(id, 'lease'), this.held(lease.token));
      await pipeline.exec().catch(() => undefined);
      await this.redis.quit().catch(() => undefined);
    }
    this.redis.disconnect();
  }
}
