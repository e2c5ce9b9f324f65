import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { clockNow, realTime, type ClockState } from './clock.ts';
import { openDataDirectory } from './data-dir.ts';
import { nodeDisk, replaceFile, type Disk } from './disk.ts';
import { Journal } from './journal.ts';
import { shallowCopy, share } from './shared.ts';

export interface SandboxState {
  clock: ClockState;
  /** API name → that API's state. */
  apis: Record<string, unknown>;
}

export const DEFAULT_SANDBOX = 'default';
const SANDBOX_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isSandboxId(id: string): boolean {
  return SANDBOX_ID.test(id);
}

/**
 * A sandbox that cannot be served now: its store is unreachable, another server holds its lease, or its saved state
 * is corrupt. Answered 503 in the vendor's format, with Retry-After when asking again may help.
 */
export class SandboxUnavailable extends Error {
  constructor(
    readonly sandboxId: string | undefined,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A sandbox whose saved state in a shared store does not parse: it refuses until reset or deleted; others are served. */
export class CorruptSandbox extends SandboxUnavailable {
  constructor(sandboxId: string, message: string) {
    super(
      sandboxId,
      `${message}: sandbox ${sandboxId} is refused until it is reset (POST /__standin/sandboxes/${sandboxId}/reset) or deleted`,
    );
  }
}

/** This server's lease on a sandbox of a shared store, with the state saved there (read lazily: it may be corrupt). */
export interface Claim {
  /** The fencing token: a write carrying an older one than the store's last is refused. */
  token: number;
  saved: () => SandboxState | undefined;
}

/** A sandbox as a shared store lists it, whether or not this server holds it. */
export interface StoredSandbox {
  id: string;
  /** Undefined when it does not parse. */
  clock: ClockState | undefined;
  writtenAt: string | undefined;
}

/**
 * Where sandboxes live when several servers share them (store-redis/): the state in the shared store, written through
 * (a write is answered once stored), and one server at a time holding a sandbox by a lease with a fencing token. A
 * sandbox in memory is used only while its lease holds; a lost lease drops it, and the next use loads it again.
 */
export interface SharedBackend {
  /** Takes (or keeps) this server's lease. Throws SandboxUnavailable: unreachable, or held by another server. */
  claim(id: string): Promise<Claim>;
  /** Whether this server's lease with this token surely still holds. */
  holds(id: string, token: number): boolean;
  /** Writes the sandbox under its token; a refused or failed write rejects with SandboxUnavailable. */
  adapter(id: string, token: number): Adapter<SandboxState>;
  exists(id: string): Promise<boolean>;
  /** Deletes it under this server's lease; false when it was not there. */
  remove(id: string): Promise<boolean>;
  /** Gives the lease up (the sandbox left this server's memory). */
  release(id: string): void;
  list(): Promise<StoredSandbox[]>;
  /** Why writes are refused now (the store is unreachable), or undefined. */
  degraded(): string | undefined;
  /** Told when this server's lease is found taken: its copy in memory must go. */
  onLost(listener: (id: string) => void): void;
  close(): Promise<void>;
}

/** A sandbox file that does not parse (truncated, not JSON, not a sandbox state). */
export class CorruptSandboxFile extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Sandbox file ${file} is corrupt (${reason})`);
  }
}

/** A saved sandbox, or undefined when there is none; a file that does not parse is an error naming it. */
function readSandboxFile(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as SandboxState;
    if (!state || typeof state !== 'object' || !state.apis || !state.clock) throw new Error('not a sandbox state');
    return state;
  } catch (error) {
    throw new CorruptSandboxFile(file, (error as Error).message);
  }
}

/** Objects this deep or deeper are records, written whole unless they are large collections. */
const RECORD_DEPTH = 3;
/** Collections with more entries than this are written a batch of entries at a time. */
const LARGE = 64;
const BATCH = 128;

const sizeOf = (value: object): number => (Array.isArray(value) ? value.length : Object.keys(value).length);
const isLeaf = (value: unknown, depth: number): boolean =>
  value === null ||
  typeof value !== 'object' ||
  typeof (value as { toJSON?: unknown }).toJSON === 'function' ||
  (depth >= RECORD_DEPTH && sizeOf(value) <= LARGE);

/**
 * JSON.stringify(value), cut into slices of about `sliceMs` of work each. Between two slices the caller awaits
 * I/O, so the event loop serves requests while a large sandbox is written: JSON.stringify of 100k records in one
 * go blocks it for hundreds of milliseconds. Each record is written as it is when its slice runs; a change made
 * between slices marks the sandbox dirty again, and the next (coalesced) write saves the state as it is then.
 */
export function* jsonSlices(value: unknown, sliceMs = 3): Generator<string, void, void> {
  let parts: string[] = [];
  let since = performance.now();
  const due = () => performance.now() - since >= sliceMs;
  const cut = () => {
    const text = parts.join('');
    parts = [];
    since = performance.now();
    return text;
  };
  function* write(node: object, depth: number): Generator<string, void, void> {
    const array = Array.isArray(node);
    const keys = array ? undefined : Object.keys(node);
    const count = array ? node.length : keys!.length;
    let first = true;
    // Leaf entries go out in batches: one JSON.stringify of a slice of the collection, brackets dropped.
    let batch: unknown[] | Record<string, unknown> = array ? [] : {};
    let batched = 0;
    const flushBatch = () => {
      if (!batched) return;
      const inner = JSON.stringify(batch).slice(1, -1);
      if (inner) {
        parts.push(first ? inner : `,${inner}`);
        first = false;
      }
      batch = array ? [] : {};
      batched = 0;
    };
    parts.push(array ? '[' : '{');
    for (let i = 0; i < count; i++) {
      const item = array ? node[i] : (node as Record<string, unknown>)[keys![i]!];
      if (isLeaf(item, depth + 1)) {
        if (array) (batch as unknown[]).push(item);
        else (batch as Record<string, unknown>)[keys![i]!] = item;
        if (++batched < BATCH) continue;
        flushBatch();
      } else {
        flushBatch();
        parts.push(first ? '' : ',', array ? '' : `${JSON.stringify(keys![i])}:`);
        first = false;
        yield* write(item as object, depth + 1);
      }
      if (due()) yield cut();
    }
    flushBatch();
    parts.push(array ? ']' : '}');
  }
  if (isLeaf(value, 0)) parts.push(JSON.stringify(value) ?? 'null');
  else yield* write(value as object, 0);
  yield cut();
}

/**
 * lowdb's adapter for one sandbox file: one writer per file, writes coalesced (a write asked for while one runs
 * is done once, after it, with the latest data), atomic (disk.ts: replaceFile), and sliced (see jsonSlices) so
 * that request latency does not grow with the size of the store.
 */
export class SlicedJSONFile<T> implements Adapter<T> {
  private latest: T | undefined;
  private dirty = false;
  private running: Promise<void> | undefined;
  /** The CPU time the last write spent serialising (ms), without its waits for the disk or for other work. */
  serializeMs = 0;

  constructor(
    readonly file: string,
    private readonly sliceMs = 4,
    private readonly disk: Disk = nodeDisk,
    /** A request is half-way through its writes until this settles: no slice is cut meanwhile. */
    private readonly busy: () => Promise<void> | undefined = () => undefined,
  ) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Resolves once `data` (or anything written after it) is on disk. */
  write(data: T): Promise<void> {
    this.latest = data;
    this.dirty = true;
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.writeOnce(this.latest as T);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async writeOnce(data: T): Promise<void> {
    const slices = jsonSlices(data, this.sliceMs);
    const busy = this.busy;
    let serializeMs = 0;
    async function* timed(): AsyncGenerator<string, void, void> {
      for (;;) {
        for (let wait = busy(); wait; wait = busy()) await wait;
        const started = performance.now();
        const slice = slices.next();
        serializeMs += performance.now() - started;
        if (slice.done) return;
        yield slice.value;
      }
    }
    await replaceFile(this.disk, this.file, timed());
    this.serializeMs = serializeMs;
  }
}

/** Why a sandbox's changes are not on disk: its last flush failed; retried with backoff until one succeeds. */
export interface UnsavedChanges {
  reason: string;
  since: string;
  attempts: number;
}

/** Retries of a failed flush wait this long, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
export const DEFAULT_MAX_SANDBOXES = 1_000;

export class Sandbox {
  readonly journal: Journal;
  flushTimer: NodeJS.Timeout | undefined;
  /** Set while this sandbox's changes cannot be written: writes to it are refused until a retry succeeds. */
  unsaved: UnsavedChanges | undefined;
  lastUsed = Date.now();
  /** Held by the request of this sandbox that may write (pipeline/turn.ts): the others, and the file's writer, wait for it. */
  turn: Promise<void> | undefined;
  /** In a shared store: the fencing token of this server's lease it was loaded under. */
  lease: number | undefined;
  /** In a shared store: the write of its latest change. */
  private saving: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly db: Low<SandboxState>,
    journalSize: number,
    private readonly onChange: (sandbox: Sandbox) => Promise<void> | undefined,
  ) {
    this.journal = new Journal(journalSize);
  }

  get state(): SandboxState {
    return this.db.data;
  }

  now(): Date {
    return clockNow(this.db.data.clock);
  }

  /** Records that the state changed: persisted by the next coalesced flush, or at once in a shared store. */
  changed(): void {
    const saving = this.onChange(this);
    if (!saving) return;
    saving.catch(() => undefined);
    this.saving = saving;
  }

  /**
   * What stores every change so far where an answer may be given on it: nothing to wait for in memory and with
   * --data (undefined: flushed behind, see scheduleFlush); in a shared store its write, which rejects with a
   * SandboxUnavailable when it fails.
   */
  settled(): Promise<void> | undefined {
    return this.saving;
  }
}

export interface StoreOptions {
  /** The state of every API of a fresh sandbox. */
  fixtures: () => Record<string, unknown>;
  /**
   * Build the fixtures once and share them, frozen, between sandboxes until they write (copy-on-write): every
   * write to a sandbox's state must then go through a transaction's views (transaction.ts) or named writes
   * (named-writes.ts), as the pipeline's do.
   * Without it, each sandbox gets its own copy (fixtures() again), which code may write directly.
   */
  shareFixtures?: boolean;
  /** Persist one JSON file per sandbox here (locked to this process); in memory when absent. */
  dataDir?: string;
  /** The file operations sandbox files are written with (tests make them fail). */
  disk?: Disk;
  journalSize?: number;
  /** How long writes are coalesced before a flush, at least (a large sandbox waits longer, see scheduleFlush). */
  flushDelayMs?: number;
  /**
   * At most this many sandboxes in memory (default DEFAULT_MAX_SANDBOXES): loading one more drops the least
   * recently used (its changes written first; one whose changes cannot be written is kept). With dataDir a dropped
   * sandbox is loaded again from its file when next used; without, it is gone (it starts again from the fixtures).
   */
  maxSandboxes?: number;
  /**
   * A sandbox file that does not parse: 'fail' (default) stops with an error naming it; 'fixtures' moves it aside
   * as <id>.json.corrupt-<time>, says so on stderr, and starts that sandbox from the fixtures.
   */
  onCorrupt?: 'fail' | 'fixtures';
  /** Keep the sandboxes in a store shared with other servers (store-redis/) instead of memory or dataDir. */
  shared?: SharedBackend;
}

/**
 * The sandboxes: created from fixtures on first use, persisted by one writer per file when dataDir is set, or kept
 * in a shared store (SharedBackend) under this server's leases.
 */
export class SandboxStore {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly pending = new Set<Promise<void>>();
  /** Sandboxes dropped from memory whose last write may still be running: reloading them waits for it. */
  private readonly evicted = new Map<string, Promise<unknown>>();
  /** Shared store: the claims under way, one per sandbox. */
  private readonly claiming = new Map<string, Promise<Sandbox>>();
  private unlock: (() => void) | undefined;
  private fixtures: Record<string, object> | undefined;

  private constructor(private readonly options: StoreOptions) {
    options.shared?.onLost((id) => this.sandboxes.delete(id));
  }

  /**
   * Opens the store; with a data directory (data-dir.ts: made, locked, proved writable, or a DataDirectoryError),
   * every sandbox saved there is loaded now.
   */
  static async open(options: StoreOptions): Promise<SandboxStore> {
    const store = new SandboxStore(options);
    if (options.dataDir) {
      store.unlock = await openDataDirectory(options.dataDir, options.disk ?? nodeDisk);
      try {
        for (const file of readdirSync(options.dataDir)) {
          const id = file.replace(/\.json$/, '');
          if (file.endsWith('.json') && isSandboxId(id)) await store.load(id);
        }
      } catch (error) {
        store.unlock();
        throw error;
      }
    }
    return store;
  }

  private fileOf(id: string): string {
    return join(this.options.dataDir!, `${id}.json`);
  }

  /**
   * The state of a new or reset sandbox. With shareFixtures, its own root object per API over the shared fixtures,
   * which a write copies from (transaction.ts), so that a sandbox costs what it changed.
   */
  private fresh(): SandboxState {
    if (!this.options.shareFixtures) return { clock: realTime(), apis: this.options.fixtures() };
    this.fixtures ??= share(this.options.fixtures()) as Record<string, object>;
    return this.atRest({ clock: realTime(), apis: this.fixtures });
  }

  /**
   * With shareFixtures, a state as the fixtures are kept (new, reset or restored): shared, so frozen, under its own
   * root object per API, so that what the sandbox does not write stays at rest (copied on its first write, rendered
   * once: json-text.ts).
   */
  private atRest(state: SandboxState): SandboxState {
    if (!this.options.shareFixtures) return state;
    const apis: Record<string, unknown> = {};
    for (const [api, data] of Object.entries(state.apis)) apis[api] = shallowCopy(share(data) as object);
    return { ...state, apis };
  }

  private async load(id: string): Promise<Sandbox> {
    let saved: SandboxState | undefined;
    try {
      saved = this.options.dataDir ? readSandboxFile(this.fileOf(id)) : undefined;
    } catch (error) {
      if (!(error instanceof CorruptSandboxFile) || this.options.onCorrupt !== 'fixtures') throw error;
      const aside = `${error.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(error.file, aside);
      console.error(`standin: ${error.message}; moved it to ${aside} and started sandbox ${id} from the fixtures`);
    }
    const adapter: Adapter<SandboxState> = this.options.dataDir
      ? new SlicedJSONFile<SandboxState>(this.fileOf(id), undefined, this.options.disk, () => sandbox.turn)
      : new Memory<SandboxState>();
    const db = new Low<SandboxState>(adapter, saved ?? this.fresh());
    const sandbox: Sandbox = new Sandbox(id, db, this.options.journalSize ?? 200, (s) => this.scheduleFlush(s));
    this.sandboxes.set(id, sandbox);
    if (!saved) sandbox.changed();
    this.evictBeyondLimit(sandbox);
    return sandbox;
  }

  /**
   * Shared store: the sandbox under this server's lease, loaded from the store (or the fixtures) unless the copy in
   * memory was loaded under the same lease. `replace`: the caller overwrites the state, so a corrupt one is no error.
   */
  private claim(id: string, replace = false): Promise<Sandbox> {
    let claiming = this.claiming.get(id);
    if (!claiming) {
      claiming = this.claimOnce(id, replace).finally(() => this.claiming.delete(id));
      this.claiming.set(id, claiming);
    }
    return claiming;
  }

  private async claimOnce(id: string, replace: boolean): Promise<Sandbox> {
    const shared = this.options.shared!;
    const { token, saved } = await shared.claim(id);
    const kept = this.sandboxes.get(id);
    if (kept?.lease === token) return kept;
    let state: SandboxState | undefined;
    try {
      state = saved();
    } catch (error) {
      if (!(replace && error instanceof CorruptSandbox)) throw error;
    }
    const db = new Low<SandboxState>(shared.adapter(id, token), state ?? this.fresh());
    const sandbox: Sandbox = new Sandbox(id, db, this.options.journalSize ?? 200, (s) => this.writeThrough(s));
    sandbox.lease = token;
    this.sandboxes.set(id, sandbox);
    if (!state) sandbox.changed();
    this.evictBeyondLimit(sandbox);
    return sandbox;
  }

  /** Shared store: writes the change now; a failed write drops the copy, which is never the only one kept. */
  private writeThrough(sandbox: Sandbox): Promise<void> {
    return sandbox.db.write().catch((error: unknown) => {
      if (this.sandboxes.get(sandbox.id) === sandbox) this.sandboxes.delete(sandbox.id);
      throw error;
    });
  }

  /** Over maxSandboxes: drops the least recently used, after starting the write of their unsaved changes. */
  private evictBeyondLimit(keep: Sandbox): void {
    const max = this.options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES;
    if (this.sandboxes.size <= max) return;
    const victims = [...this.sandboxes.values()]
      .filter((s) => s !== keep && !s.unsaved)
      .sort((a, b) => a.lastUsed - b.lastUsed)
      .slice(0, this.sandboxes.size - max);
    for (const victim of victims) {
      if (this.options.shared) {
        this.sandboxes.delete(victim.id);
        this.options.shared.release(victim.id);
        continue;
      }
      if (victim.flushTimer) void this.flush(victim);
      this.evicted.set(victim.id, Promise.allSettled([...this.pending]));
      this.sandboxes.delete(victim.id);
    }
  }

  /** The sandbox with this id: in memory, else loaded from its file (dataDir), else created from the fixtures. */
  async get(id: string): Promise<Sandbox> {
    const sandbox = this.options.shared
      ? (this.peek(id) ?? (await this.claim(id)))
      : (this.sandboxes.get(id) ?? (await this.afterEviction(id)) ?? (await this.load(id)));
    sandbox.lastUsed = Date.now();
    return sandbox;
  }

  /** The sandbox with this id if it exists (in memory, or saved in its file), never created. */
  async find(id: string): Promise<Sandbox | undefined> {
    const { shared } = this.options;
    if (shared) return this.peek(id) ?? ((await shared.exists(id)) ? this.claim(id) : undefined);
    const sandbox = this.sandboxes.get(id) ?? (await this.afterEviction(id));
    if (sandbox) return sandbox;
    return this.options.dataDir && isSandboxId(id) && existsSync(this.fileOf(id)) ? this.load(id) : undefined;
  }

  /** Waits for the last write of a sandbox dropped from memory; it is back in memory if that write failed. */
  private async afterEviction(id: string): Promise<Sandbox | undefined> {
    const saving = this.evicted.get(id);
    if (saving) {
      await saving;
      if (this.evicted.get(id) === saving) this.evicted.delete(id);
    }
    return this.sandboxes.get(id);
  }

  /** The sandbox if it is in memory (and, in a shared store, this server's lease on it holds). */
  peek(id: string): Sandbox | undefined {
    const sandbox = this.sandboxes.get(id);
    const { shared } = this.options;
    return sandbox && shared && !shared.holds(id, sandbox.lease!) ? undefined : sandbox;
  }

  /** The sandboxes in this server's memory. */
  list(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  /** Every sandbox of the shared store, whichever server holds it; undefined without one (list() is all there is). */
  listShared(): Promise<StoredSandbox[]> | undefined {
    return this.options.shared?.list();
  }

  /** Why writes are refused now (the shared store is unreachable), or undefined. */
  degraded(): string | undefined {
    return this.options.shared?.degraded();
  }

  async reset(id: string): Promise<Sandbox> {
    // In a shared store, a sandbox whose saved state is corrupt is reset too.
    const sandbox = this.options.shared ? (this.peek(id) ?? (await this.claim(id, true))) : await this.get(id);
    sandbox.db.data = this.fresh();
    sandbox.journal.clear();
    sandbox.changed();
    await sandbox.settled();
    return sandbox;
  }

  async restore(id: string, state: SandboxState): Promise<Sandbox> {
    const sandbox = await this.get(id);
    sandbox.db.data = this.atRest(structuredClone(state));
    sandbox.changed();
    await sandbox.settled();
    return sandbox;
  }

  async remove(id: string): Promise<boolean> {
    if (this.options.shared) {
      this.sandboxes.delete(id);
      return this.options.shared.remove(id);
    }
    const sandbox = this.sandboxes.get(id);
    // A sandbox dropped from memory (maxSandboxes) still has its file.
    const file = this.options.dataDir && isSandboxId(id) ? this.fileOf(id) : undefined;
    if (!sandbox && !(file && existsSync(file))) return false;
    if (sandbox) {
      clearTimeout(sandbox.flushTimer);
      this.sandboxes.delete(id);
    }
    await Promise.all(this.pending);
    if (file) rmSync(file, { force: true });
    return true;
  }

  private scheduleFlush(sandbox: Sandbox): undefined {
    if (!this.options.dataDir || sandbox.flushTimer) return;
    // Serialising costs CPU in proportion to the sandbox: a large one under a stream of writes is saved at most
    // about a quarter of the time, so that persisting does not take the CPU from the requests. Its own CPU time,
    // not the wall time of its last write, which another sandbox's write would stretch.
    const serializeMs = (sandbox.db.adapter as SlicedJSONFile<SandboxState>).serializeMs;
    const delay = Math.max(this.options.flushDelayMs ?? 25, 3 * serializeMs);
    sandbox.flushTimer = setTimeout(() => void this.flush(sandbox), delay);
  }

  /** Writes the sandbox's file; never rejects: a failure marks the sandbox unsaved and schedules a retry. */
  private flush(sandbox: Sandbox): Promise<void> {
    clearTimeout(sandbox.flushTimer);
    sandbox.flushTimer = undefined;
    if (this.sandboxes.get(sandbox.id) !== sandbox) return Promise.resolve();
    const write = sandbox.db
      .write()
      .then(
        () => this.saved(sandbox),
        (error: unknown) => this.notSaved(sandbox, error),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
    return write;
  }

  private saved(sandbox: Sandbox): void {
    if (!sandbox.unsaved) return;
    console.error(`standin: sandbox ${sandbox.id} saved again after ${sandbox.unsaved.attempts} failed writes`);
    sandbox.unsaved = undefined;
  }

  private notSaved(sandbox: Sandbox, error: unknown): void {
    const reason = (error as Error)?.message ?? String(error);
    const attempts = (sandbox.unsaved?.attempts ?? 0) + 1;
    if (!sandbox.unsaved)
      console.error(
        `standin: sandbox ${sandbox.id} cannot be saved (${reason}); its writes are refused until a retry succeeds`,
      );
    sandbox.unsaved = { reason, since: sandbox.unsaved?.since ?? new Date().toISOString(), attempts };
    // Dropped from memory (maxSandboxes) while its last write ran: memory is the only copy of its changes.
    if (!this.sandboxes.has(sandbox.id) && !this.evicted.has(sandbox.id)) return;
    if (!this.sandboxes.has(sandbox.id)) this.sandboxes.set(sandbox.id, sandbox);
    if (this.sandboxes.get(sandbox.id) !== sandbox || sandbox.flushTimer) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (attempts - 1));
    sandbox.flushTimer = setTimeout(() => void this.flush(sandbox), delay);
  }

  /** The sandboxes whose last flush failed. */
  unsaved(): Sandbox[] {
    return this.list().filter((s) => s.unsaved);
  }

  /** Writes every sandbox with unsaved changes now (on shutdown); throws naming those that could not be written. */
  async flushAll(): Promise<void> {
    await Promise.all(
      this.list()
        .filter((s) => s.flushTimer)
        .map((s) => this.flush(s)),
    );
    await Promise.all(this.pending);
    const unsaved = this.unsaved();
    if (unsaved.length)
      throw new Error(
        `the changes of ${unsaved.length} sandbox(es) could not be written: ${unsaved.map((s) => `${s.id} (${s.unsaved!.reason})`).join('; ')}`,
      );
  }

  /** Flushes (flushAll) and releases the data directory's lock. */
  async close(): Promise<void> {
    try {
      await this.flushAll();
      await Promise.allSettled(this.list().map((s) => s.settled()));
      await this.options.shared?.close();
    } finally {
      this.unlock?.();
      this.unlock = undefined;
    }
  }
}
