/**
 * A request's writes to its API's state, undone if the request fails: the handler sees the state through a
 * Proxy that records, before each write, what the written property was (an undo log); a rollback restores those
 * in reverse order. The cost is per write and per object read, never per record in the store, so a write to a
 * sandbox of 100k records costs what it costs in one of 100.
 *
 * The views (proxies) of one state are kept for as long as its objects live, so a view is the same object from
 * one request to the next (an object keyed by `ctx.state` stays valid). What a handler stores is stored as itself,
 * never as a view: the state holds plain data only, and structuredClone(rawOf(view)) works.
 *
 * Shared data (the fixtures every sandbox starts from, shared.ts) is written copy-on-write: its view stands for the
 * place it is found at (a key of an object of the state), and the first write through it copies the object, and the
 * shared objects above it, into the state (path copying); the rest stays shared. The copy keeps the view, and is
 * kept on rollback (it holds what the shared object held), so a view stays the same object here too.
 */
import { isShared, shallowCopy } from './shared.ts';

type Key = string | symbol;
type Undo = () => void;
type Collection = Map<unknown, unknown> | Set<unknown>;

/** View → the object it shows, for every view of every state. */
const viewed = new WeakMap<object, object>();

/** The object a view shows (the value itself when it is not a view). */
export function rawOf<T>(value: T): T {
  return (typeof value === 'object' && value !== null ? (viewed.get(value) as T | undefined) : undefined) ?? value;
}

/** A deep copy of state data, whether through a view or not (structuredClone refuses a Proxy). */
export function copyOfState<T>(value: T): T {
  return structuredClone(rawOf(value));
}

/** Objects the views track: plain data (JSON, null-prototype records, arrays) and Map/Set; not Dates or class instances. */
function trackable(value: object): boolean {
  if (!Object.isExtensible(value)) return false; // frozen: a write throws anyway, and a view of it would break the Proxy invariants
  const proto = Object.getPrototypeOf(value);
  return (
    proto === Object.prototype || proto === null || Array.isArray(value) || value instanceof Map || value instanceof Set
  );
}

const MAP_WRITES = new Set<Key>(['set', 'delete', 'clear']);
const SET_WRITES = new Set<Key>(['add', 'delete', 'clear']);
const READS_VALUES = new Set<Key>(['get', 'values', 'entries', 'forEach', Symbol.iterator]);

/**
 * A copy-on-write view's place: `raw` is the shared object found in `parent` (a private object of the state, or the
 * place of a shared one) at `key`, until the first write replaces it there with its copy. The place is its view's
 * Proxy handler: every operation is forwarded to the place's object. (The view's target is an empty object or
 * array: a frozen target would make the Proxy invariants refuse views of what is in it.)
 */
class Place implements ProxyHandler<object> {
  view!: object;
  constructor(
    public raw: object,
    readonly parent: object,
    readonly key: unknown,
    private readonly tracker: Tracker,
  ) {}

  get(_target: object, key: Key): unknown {
    return this.tracker.childView(this, key, (this.raw as Record<Key, unknown>)[key]);
  }

  set(_target: object, key: Key, value: unknown): boolean {
    this.tracker.announceWrite();
    return this.tracker.setProperty(this.tracker.own(this), key, value);
  }

  deleteProperty(_target: object, key: Key): boolean {
    if (!Object.hasOwn(this.raw, key)) return true;
    this.tracker.announceWrite();
    return this.tracker.deleteProperty(this.tracker.own(this), key);
  }

  defineProperty(_target: object, key: Key, descriptor: PropertyDescriptor): boolean {
    this.tracker.announceWrite();
    return this.tracker.defineProperty(this.tracker.own(this), key, descriptor);
  }

  has(_target: object, key: Key): boolean {
    return key in this.raw;
  }

  ownKeys(): Key[] {
    return Reflect.ownKeys(this.raw);
  }

  getOwnPropertyDescriptor(target: object, key: Key): PropertyDescriptor | undefined {
    const descriptor = Reflect.getOwnPropertyDescriptor(this.raw, key);
    if (!descriptor || !('value' in descriptor)) return descriptor;
    // Writable, as it is through this view; configurable, as the target lacks it (an array's length it has).
    if (key === 'length' && Array.isArray(target)) return { ...descriptor, writable: true };
    return { ...descriptor, writable: true, configurable: true };
  }
}

/** The views of one state (an API's slice of a sandbox) and the undo log of the transaction open on it. */
class Tracker {
  private readonly views = new WeakMap<object, object>();
  /** The open transaction's undo log; writes outside a transaction are not recorded. */
  log: Undo[] | undefined;
  /** (object, key) pairs already recorded by the open transaction: the first write's "before" is the one to restore. */
  private recorded = new Map<object, Set<unknown>>();
  /** The keys, in order, of objects a key was removed from: put back, it would come last. */
  private orders = new Map<object, unknown[]>();
  beforeWrite: (() => void) | undefined;
  /** The copy-on-write views found in a private object or a place, by key. */
  private readonly placesIn = new WeakMap<object, Map<unknown, Place>>();

  private readonly objectTraps: ProxyHandler<object> = {
    get: (target, key) => this.childView(target, key, (target as Record<Key, unknown>)[key]),
    set: (target, key, value) => {
      this.announceWrite();
      return this.setProperty(target, key, value);
    },
    deleteProperty: (target, key) => {
      if (Object.hasOwn(target, key)) this.announceWrite();
      return this.deleteProperty(target, key);
    },
    defineProperty: (target, key, descriptor) => {
      this.announceWrite();
      return this.defineProperty(target, key, descriptor);
    },
  };

  private readonly collectionTraps: ProxyHandler<Collection> = {
    get: (target, key) => {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (target instanceof Map ? MAP_WRITES.has(key) : SET_WRITES.has(key)) return this.collectionWrite(target, key);
      if (READS_VALUES.has(key)) return this.collectionRead(target, key);
      return value.bind(target);
    },
  };

  /** The view of `value`, found in `parent` (a private object, or the place of a shared one) at `key`. */
  childView(parent: object, key: unknown, value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    return isShared(value) ? this.sharedView(parent, key, value) : this.view(value);
  }

  /** The copy-on-write view of the shared object `raw` at its place (the same view while the place holds it). */
  private sharedView(parent: object, key: unknown, raw: object): object {
    let children = this.placesIn.get(parent);
    const known = children?.get(key);
    if (known?.raw === raw) return known.view;
    const place = new Place(raw, parent, key, this);
    const target = Array.isArray(raw) ? [] : Object.create(Object.getPrototypeOf(raw));
    place.view = new Proxy(target, place);
    viewed.set(place.view, raw);
    if (!children) this.placesIn.set(parent, (children = new Map()));
    children.set(key, place);
    return place.view;
  }

  /**
   * The place's object, made the state's own: a shared one is copied, its shared parents first, and the copy put
   * where it was found (not undone on rollback: it holds what the shared object held).
   */
  own(place: Place): object {
    if (!isShared(place.raw)) return place.raw;
    const parent = place.parent instanceof Place ? this.own(place.parent) : place.parent;
    const copy = shallowCopy(place.raw);
    if (parent instanceof Map) {
      if (parent.get(place.key) === place.raw) parent.set(place.key, copy);
    } else if ((parent as Record<Key, unknown>)[place.key as Key] === place.raw) {
      (parent as Record<Key, unknown>)[place.key as Key] = copy;
    }
    place.raw = copy;
    viewed.set(place.view, copy);
    this.views.set(copy, place.view);
    return copy;
  }

  /** The view of a value (primitives, functions, untracked and shared objects as they are). */
  view(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const known = this.views.get(value);
    if (known) return known;
    if (viewed.has(value) || !trackable(value)) return value;
    const view =
      value instanceof Map || value instanceof Set
        ? new Proxy(value, this.collectionTraps)
        : new Proxy(value, this.objectTraps);
    this.views.set(value, view);
    viewed.set(view, value);
    return view;
  }

  /**
   * What a handler stores, without views: a view is replaced by its object, also inside a new object or array
   * built from views (`{...record}` holds views of the record's nested objects). Objects of the state are not
   * walked: they hold no views.
   */
  detach(value: unknown, seen?: Set<object>): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const raw = viewed.get(value);
    if (raw) return raw;
    if (this.views.has(value) || seen?.has(value) || !trackable(value)) return value;
    // What was walked, against cycles: made at the first object inside (a record of plain values needs none).
    const inner = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return v;
      seen ??= new Set();
      seen.add(value);
      return this.detach(v, seen);
    };
    if (value instanceof Map) {
      for (const [k, v] of value) {
        const plain = inner(v);
        if (plain !== v) value.set(k, plain);
      }
    } else if (value instanceof Set) {
      for (const v of [...value]) {
        const plain = inner(v);
        if (plain !== v) {
          value.delete(v);
          value.add(plain);
        }
      }
    } else {
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        const plain = inner(v);
        if (plain !== v) (value as Record<string, unknown>)[key] = plain;
      }
    }
    return value;
  }

  /** True the first time (object, key) is written in the open transaction. */
  private firstWrite(target: object, key: unknown): boolean {
    let keys = this.recorded.get(target);
    if (!keys) this.recorded.set(target, (keys = new Set()));
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  setProperty(target: object, key: Key, value: unknown): boolean {
    this.recordProperty(target, key, value);
    (target as Record<Key, unknown>)[key] = this.detach(value);
    return true;
  }

  deleteProperty(target: object, key: Key): boolean {
    if (Object.hasOwn(target, key)) {
      this.recordProperty(target, key, undefined);
      if (!Array.isArray(target) && !isIndex(key)) this.keepOrder(target);
    }
    return Reflect.deleteProperty(target, key);
  }

  defineProperty(target: object, key: Key, descriptor: PropertyDescriptor): boolean {
    this.recordProperty(target, key, descriptor.value);
    return Reflect.defineProperty(
      target,
      key,
      'value' in descriptor ? { ...descriptor, value: this.detach(descriptor.value) } : descriptor,
    );
  }

  /** Calls beforeWrite before a write of the open transaction is made. */
  announceWrite(): void {
    if (this.log) this.beforeWrite?.();
  }

  private recordProperty(target: object, key: Key, value: unknown): void {
    if (!this.log) return;
    if (Array.isArray(target)) {
      // An array shortened through its length loses the elements past it; one written past its end grows it.
      if (key === 'length')
        for (let i = Number(value); i < target.length; i++) this.recordDescriptor(this.log, target, String(i));
      else if (typeof key === 'string' && Number(key) >= target.length)
        this.recordDescriptor(this.log, target, 'length');
    }
    this.recordDescriptor(this.log, target, key);
  }

  private recordDescriptor(log: Undo[], target: object, key: Key): void {
    if (!this.firstWrite(target, key)) return;
    const before = Object.getOwnPropertyDescriptor(target, key);
    log.push(before ? () => Reflect.defineProperty(target, key, before) : () => Reflect.deleteProperty(target, key));
  }

  private keepOrder(target: object): void {
    if (this.log && !this.orders.has(target))
      this.orders.set(
        target,
        target instanceof Map || target instanceof Set ? [...target.keys()] : Object.keys(target),
      );
  }

  private recordEntry(target: Collection, key: unknown): void {
    if (!this.log) return;
    this.beforeWrite?.();
    if (!this.firstWrite(target, key)) return;
    if (target instanceof Map) {
      const had = target.has(key);
      const before = target.get(key);
      this.log.push(had ? () => target.set(key, before) : () => target.delete(key));
    } else {
      this.log.push(target.has(key) ? () => target.add(key) : () => target.delete(key));
    }
  }

  private collectionWrite(target: Collection, method: Key): (...args: unknown[]) => unknown {
    const view = this.views.get(target);
    return (...args) => {
      if (method === 'clear') for (const key of target.keys()) this.recordEntry(target, key);
      else this.recordEntry(target, rawOf(args[0]));
      if (method === 'clear' || method === 'delete') this.keepOrder(target);
      if (method === 'set') return (target as Map<unknown, unknown>).set(rawOf(args[0]), this.detach(args[1])) && view;
      if (method === 'add') return (target as Set<unknown>).add(this.detach(args[0])) && view;
      return method === 'delete' ? target.delete(rawOf(args[0])) : target.clear();
    };
  }

  /** Reads of a Map's or Set's values hand out views, so that writes to them are recorded too. */
  private collectionRead(target: Collection, method: Key): (...args: unknown[]) => unknown {
    const view = this.views.get(target);
    if (method === 'get')
      return (key) => this.childView(target, rawOf(key), (target as Map<unknown, unknown>).get(rawOf(key)));
    // A Map's values are at their key; a Set's members are their own keys (a shared one is not viewed).
    const valueView = (value: unknown, key: unknown) =>
      target instanceof Map ? this.childView(target, key, value) : this.view(value);
    if (method === 'forEach')
      return (callback, thisArg) =>
        (target as Map<unknown, unknown>).forEach((value, key) =>
          (callback as (v: unknown, k: unknown, c: unknown) => void).call(
            thisArg,
            valueView(value, key),
            target instanceof Set ? this.view(key) : key,
            view,
          ),
        );
    const viewEntries = method === 'entries' || (method === Symbol.iterator && target instanceof Map);
    return function* () {
      for (const [key, value] of (target as Map<unknown, unknown>).entries()) {
        const shown = valueView(value, key);
        yield viewEntries ? [key, shown] : shown;
      }
    };
  }

  get writes(): number {
    return this.log?.length ?? 0;
  }

  begin(): void {
    if (this.log) throw new Error('A transaction is already open on this state');
    this.log = [];
  }

  end(): { log: Undo[]; orders: Map<object, unknown[]> } {
    const ended = { log: this.log ?? [], orders: this.orders };
    this.log = undefined;
    if (this.recorded.size) this.recorded = new Map();
    if (this.orders.size) this.orders = new Map();
    this.beforeWrite = undefined;
    return ended;
  }
}

/** An array index ("0", "12"): objects keep those in numeric order whatever the order they were added in. */
export const isIndex = (key: Key): boolean =>
  typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/**
 * Puts the keys of an object, Map or Set back in their order (a key removed and put back comes last). `keys` is
 * the order before the first removal; those added by the transaction after it are gone again.
 */
export function reorder(target: object, order: unknown[]): void {
  if (target instanceof Map) {
    const entries = order.filter((key) => target.has(key)).map((key) => [key, target.get(key)] as const);
    target.clear();
    for (const [key, value] of entries) target.set(key, value);
  } else if (target instanceof Set) {
    const keys = order.filter((key) => target.has(key));
    target.clear();
    for (const key of keys) target.add(key);
  } else {
    const keys = (order as string[]).filter((key) => Object.hasOwn(target, key));
    const current = Object.keys(target);
    if (current.length === keys.length && current.every((key, i) => key === keys[i])) return;
    for (const key of keys) {
      if (isIndex(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
      delete (target as Record<string, unknown>)[key];
      Object.defineProperty(target, key, descriptor);
    }
  }
}

const trackers = new WeakMap<object, Tracker>();

function trackerOf(root: object): Tracker {
  let tracker = trackers.get(root);
  if (!tracker) trackers.set(root, (tracker = new Tracker()));
  return tracker;
}

export interface TransactionOptions {
  /** Called before each write is made (a throw there fails the write before it happens). */
  beforeWrite?: () => void;
}

/** The writes of one request to a state, which it keeps (commit) or undoes (rollback). */
export interface Transaction<T> {
  /** The state as the request must see it: writes through it are recorded. */
  readonly state: T;
  /** How many (object, property) pairs were written so far. */
  readonly writes: number;
  /** `value` with the views in it replaced by their objects: a reply serialises several times faster so. */
  plain<V>(value: V): V;
  /** Keeps the writes; returns how many (object, property) pairs were written. */
  commit(): number;
  /** Undoes every write, last first; returns how many (object, property) pairs were restored. */
  rollback(): number;
}

/** The transaction open on a tracker's state until its commit or rollback. */
class OpenTransaction<T extends object> implements Transaction<T> {
  readonly state: T;
  private open = true;

  constructor(
    private readonly tracker: Tracker,
    root: T,
  ) {
    this.state = tracker.view(root) as T;
  }

  get writes(): number {
    return this.open ? this.tracker.writes : 0;
  }

  plain<V>(value: V): V {
    return this.tracker.detach(value) as V;
  }

  commit(): number {
    return this.close().log.length;
  }

  rollback(): number {
    const { log, orders } = this.close();
    for (let i = log.length - 1; i >= 0; i--) log[i]!();
    for (const [target, keys] of orders) reorder(target, keys);
    return log.length;
  }

  private close() {
    if (!this.open) throw new Error('This transaction is closed');
    this.open = false;
    return this.tracker.end();
  }
}

/** Opens a transaction on `root` (one at a time per state: the requests of a sandbox take turns). */
export function beginTransaction<T extends object>(root: T, options: TransactionOptions = {}): Transaction<T> {
  const tracker = trackerOf(root);
  tracker.begin();
  tracker.beforeWrite = options.beforeWrite;
  return new OpenTransaction(tracker, root);
}
