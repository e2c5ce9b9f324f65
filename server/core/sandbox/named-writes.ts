/**
 * A request's writes to its API's state, each named by the handler (`ctx.write.set(['prices', id], price)`):
 * recorded in an undo log before it is made, and undone if the request fails. Reads see the state as it is, with no
 * view between a handler and its data, so a read costs what a read of plain objects costs (transaction.ts's views
 * cost a POST about a fifth of its CPU).
 *
 * The fixtures every sandbox shares (shared.ts) are frozen: a write below a shared object first copies it, and the
 * shared objects above it, into the state (path copying). The copy is kept on rollback: it holds what the shared
 * object held. A handler that writes to the state directly throws on shared data, and under test (`directWrite`)
 * on any data: the state is then shown through views that refuse every write.
 */
import { setEntry } from '../records.ts';
import { isShared, shallowCopy } from './shared.ts';
import { beginTransaction, isIndex, reorder, type Transaction } from './transaction.ts';

type Key = string | number;
type Undo = () => void;

/** The keys from an API state's root to a value: property names of objects, indexes of arrays. */
export type StatePath = readonly Key[];

/** How a handler writes to its API's state: by path from the root, each write undone if the request fails. */
export interface StateWriter<S> {
  /** Makes `value` the own value at `path` ("__proto__" is a key like any other); the objects on the way must exist. */
  set<K1 extends keyof S>(path: readonly [K1], value: S[K1]): void;
  set<K1 extends keyof S, K2 extends keyof S[K1]>(path: readonly [K1, K2], value: S[K1][K2]): void;
  set<K1 extends keyof S, K2 extends keyof S[K1], K3 extends keyof S[K1][K2]>(
    path: readonly [K1, K2, K3],
    value: S[K1][K2][K3],
  ): void;
  /** Removes the entry at `path` of an object (not an array element), when the object has one of its own. */
  remove<K1 extends keyof S>(path: readonly [K1]): void;
  remove<K1 extends keyof S, K2 extends keyof S[K1]>(path: readonly [K1, K2]): void;
  remove<K1 extends keyof S, K2 extends keyof S[K1], K3 extends keyof S[K1][K2]>(path: readonly [K1, K2, K3]): void;
}

/** A StateWriter as the core implements it, by path (the overloads above only type the paths). */
interface PathWriter {
  set(path: StatePath, value: unknown): void;
  remove(path: StatePath): void;
}

const asWriter = <S>(writer: PathWriter): StateWriter<S> => writer as StateWriter<S>;

function isObject(value: unknown): value is Record<Key, unknown> {
  return typeof value === 'object' && value !== null;
}

export interface NamedWritesOptions {
  /** Called before each write is made (a throw there fails the write before it happens). */
  beforeWrite?: () => void;
  /**
   * Show the state through views that refuse every write with this error, so that a handler writing to the state
   * without ctx.write is caught (under test; the views cost what transaction.ts's cost).
   */
  directWrite?: () => Error;
}

/** The writes of one request, made through `set` and `remove`, kept by `commit` or undone by `rollback`. */
export class NamedWrites<T extends object> implements Transaction<T>, PathWriter {
  readonly state: T;
  private log: Undo[] = [];
  /** (object, key) pairs already recorded: the first write's "before" is the one to restore. */
  private recorded: Map<object, Set<string>> | undefined;
  /** The keys, in order, of objects a key was removed from: put back, it would come last. */
  private readonly orders = new Map<object, unknown[]>();
  private readonly guard: Transaction<T> | undefined;
  private open = true;

  constructor(
    private readonly root: T,
    private readonly options: NamedWritesOptions = {},
  ) {
    const { directWrite } = options;
    this.guard = directWrite
      ? beginTransaction(root, {
          beforeWrite: () => {
            throw directWrite();
          },
        })
      : undefined;
    this.state = this.guard?.state ?? root;
  }

  /** The writer a handler sees: these writes, typed by the state's paths. */
  writer(): StateWriter<T> {
    return asWriter<T>(this);
  }

  get writes(): number {
    return this.log.length;
  }

  plain<V>(value: V): V {
    return this.guard ? this.guard.plain(value) : value;
  }

  set(path: StatePath, value: unknown): void {
    this.ensureOpen();
    const [found, key] = this.parentOf(path);
    if (!found) throw new TypeError(`Cannot write ${path.join('.')}: there is no object to hold ${key}`);
    const array = Array.isArray(found);
    if (array && !isIndex(String(key)))
      throw new TypeError(`Cannot write ${path.join('.')}: an array is written by index`);
    this.options.beforeWrite?.();
    const target = this.ownParentOf(path);
    // Written past its end, an array grows: its length is restored too.
    if (array && Number(key) >= (target as unknown as unknown[]).length) this.record(target, 'length');
    this.record(target, key);
    setEntry(target, key, this.plain(value));
  }

  remove(path: StatePath): void {
    this.ensureOpen();
    const [found, key] = this.parentOf(path);
    if (!found || !Object.hasOwn(found, key)) return;
    if (Array.isArray(found))
      throw new TypeError(`Cannot remove ${path.join('.')}: an array element is written, not removed`);
    this.options.beforeWrite?.();
    const target = this.ownParentOf(path);
    this.record(target, key);
    if (!isIndex(String(key)) && !this.orders.has(target)) this.orders.set(target, Object.keys(target));
    delete target[key];
  }

  commit(): number {
    return this.close();
  }

  rollback(): number {
    const { log } = this;
    for (let i = log.length - 1; i >= 0; i--) log[i]!();
    for (const [target, keys] of this.orders) reorder(target, keys);
    return this.close();
  }

  private close(): number {
    this.ensureOpen();
    this.open = false;
    this.guard?.commit();
    return this.log.length;
  }

  private ensureOpen(): void {
    if (!this.open) throw new Error('These writes are closed');
  }

  /** The object holding the last key of `path` as it is (undefined when the path leads nowhere), and that key. */
  private parentOf(path: StatePath): [Record<Key, unknown> | undefined, Key] {
    if (path.length === 0) throw new TypeError('A write needs a path of at least one key');
    let parent: unknown = this.root;
    for (let i = 0; i < path.length - 1; i++)
      parent = isObject(parent) && Object.hasOwn(parent, path[i]!) ? parent[path[i]!] : undefined;
    return [isObject(parent) ? parent : undefined, path[path.length - 1]!];
  }

  /**
   * The object holding the last key of `path` (parentOf found it), made the state's own: the shared objects on the
   * way are copied into place.
   */
  private ownParentOf(path: StatePath): Record<Key, unknown> {
    let parent = this.root as Record<Key, unknown>;
    for (let i = 0; i < path.length - 1; i++) {
      const child = parent[path[i]!] as Record<Key, unknown>;
      if (isShared(child)) {
        const copy = shallowCopy(child);
        setEntry(parent, path[i]!, copy);
        parent = copy;
      } else parent = child;
    }
    return parent;
  }

  private record(target: Record<Key, unknown>, key: Key): void {
    this.recorded ??= new Map();
    let keys = this.recorded.get(target);
    if (!keys) this.recorded.set(target, (keys = new Set()));
    const name = String(key);
    if (keys.has(name)) return;
    keys.add(name);
    const before = Object.getOwnPropertyDescriptor(target, key);
    this.log.push(
      before ? () => Reflect.defineProperty(target, key, before) : () => Reflect.deleteProperty(target, key),
    );
  }
}

/** Opens named writes on `root`: the state a request's handler reads, and the writer it writes with. */
export function beginNamedWrites<T extends object>(root: T, options: NamedWritesOptions = {}): NamedWrites<T> {
  return new NamedWrites(root, options);
}

/** A writer that writes each path on `state` as it is: through a transaction's views, which record each write. */
export function writerThrough<S>(state: S): StateWriter<S> {
  const parentOf = (path: StatePath) => {
    let parent = state as Record<Key, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
    return parent;
  };
  return asWriter<S>({
    set: (path, value) => setEntry(parentOf(path), path[path.length - 1]!, value),
    remove: (path) => {
      delete parentOf(path)[path[path.length - 1]!];
    },
  });
}

/** A writer that refuses every write with `refusal()`: what a read that may not write is given. */
export function refusingWriter<S>(refusal: () => Error): StateWriter<S> {
  const refuse = () => {
    throw refusal();
  };
  return asWriter<S>({ set: refuse, remove: refuse });
}
