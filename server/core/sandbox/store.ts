import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { clockNow, realTime, type ClockState } from './clock.ts';
import { Journal } from './journal.ts';

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
    throw new Error(`Sandbox file ${file} is corrupt (${(error as Error).message})`);
  }
}

export class Sandbox {
  readonly journal: Journal;
  flushTimer: NodeJS.Timeout | undefined;
  lastUsed = Date.now();

  constructor(
    readonly id: string,
    readonly db: Low<SandboxState>,
    journalSize: number,
    private readonly onChange: (sandbox: Sandbox) => void,
  ) {
    this.journal = new Journal(journalSize);
  }

  get state(): SandboxState {
    return this.db.data;
  }

  now(): Date {
    return clockNow(this.db.data.clock);
  }

  /** Records that the state changed: persisted by the next coalesced flush. */
  changed(): void {
    this.onChange(this);
  }
}

export interface StoreOptions {
  /** The state of every API of a fresh sandbox. */
  fixtures: () => Record<string, unknown>;
  /** Persist one JSON file per sandbox here; in memory when absent. */
  dataDir?: string;
  journalSize?: number;
  /** How long writes are coalesced before a flush. */
  flushDelayMs?: number;
}

/** The sandboxes: created from fixtures on first use, persisted by one writer per file when dataDir is set. */
export class SandboxStore {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly pending = new Set<Promise<void>>();

  private constructor(private readonly options: StoreOptions) {}

  /** Opens the store; with a data directory, every sandbox saved there is loaded now. */
  static async open(options: StoreOptions): Promise<SandboxStore> {
    const store = new SandboxStore(options);
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      for (const file of readdirSync(options.dataDir)) {
        const id = file.replace(/\.json$/, '');
        if (file.endsWith('.json') && isSandboxId(id)) await store.load(id);
      }
    }
    return store;
  }

  private fileOf(id: string): string {
    return join(this.options.dataDir!, `${id}.json`);
  }

  private fresh(): SandboxState {
    return { clock: realTime(), apis: this.options.fixtures() };
  }

  private async load(id: string): Promise<Sandbox> {
    const saved = this.options.dataDir ? readSandboxFile(this.fileOf(id)) : undefined;
    const adapter: Adapter<SandboxState> = this.options.dataDir
      ? new JSONFile<SandboxState>(this.fileOf(id))
      : new Memory<SandboxState>();
    const db = new Low<SandboxState>(adapter, saved ?? this.fresh());
    const sandbox = new Sandbox(id, db, this.options.journalSize ?? 200, (s) => this.scheduleFlush(s));
    this.sandboxes.set(id, sandbox);
    if (!saved) sandbox.changed();
    return sandbox;
  }

  /** The sandbox with this id, created from fixtures if it does not exist yet. */
  async get(id: string): Promise<Sandbox> {
    const sandbox = this.sandboxes.get(id) ?? (await this.load(id));
    sandbox.lastUsed = Date.now();
    return sandbox;
  }

  peek(id: string): Sandbox | undefined {
    return this.sandboxes.get(id);
  }

  list(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  async reset(id: string): Promise<Sandbox> {
    const sandbox = await this.get(id);
    sandbox.db.data = this.fresh();
    sandbox.journal.clear();
    sandbox.changed();
    return sandbox;
  }

  async restore(id: string, state: SandboxState): Promise<Sandbox> {
    const sandbox = await this.get(id);
    sandbox.db.data = structuredClone(state);
    sandbox.changed();
    return sandbox;
  }

  async remove(id: string): Promise<boolean> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return false;
    clearTimeout(sandbox.flushTimer);
    this.sandboxes.delete(id);
    await Promise.all(this.pending);
    if (this.options.dataDir) rmSync(this.fileOf(id), { force: true });
    return true;
  }

  private scheduleFlush(sandbox: Sandbox): void {
    if (!this.options.dataDir || sandbox.flushTimer) return;
    sandbox.flushTimer = setTimeout(() => this.flush(sandbox), this.options.flushDelayMs ?? 25);
  }

  private flush(sandbox: Sandbox): Promise<void> {
    clearTimeout(sandbox.flushTimer);
    sandbox.flushTimer = undefined;
    if (this.sandboxes.get(sandbox.id) !== sandbox) return Promise.resolve();
    const write = sandbox.db.write().finally(() => this.pending.delete(write));
    this.pending.add(write);
    return write;
  }

  /** Writes every sandbox with unsaved changes now (on shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all(this.list().filter((s) => s.flushTimer).map((s) => this.flush(s)));
    await Promise.all(this.pending);
  }
}
