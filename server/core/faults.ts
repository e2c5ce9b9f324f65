/**
 * Fault rules, which the pipeline's fault stage applies (pipeline/fault.ts: after routing, before auth): added
 * latency, a status with the vendor's error body, 429 with Retry-After, a connection reset, each with a
 * probability. Rules live per sandbox (in memory, never in the sandbox's API state) and are set through the admin
 * API (/__standin/sandboxes/{id}/faults) or for one request with the X-Standin-Fault header.
 */
import { randomUUID } from 'node:crypto';

/** What a fault does; every field optional, but a rule does at least one thing. */
export interface FaultSpec {
  /** Added latency: a fixed number of milliseconds, or a random one in [min, max]. */
  latencyMs?: number | [number, number];
  /** Answer this status (400-599) with the vendor's error body instead of running the operation. */
  status?: number;
  /** The error message in the vendor's body (default: the status's reason phrase). */
  message?: string;
  /** Seconds in the Retry-After header (default 1 with status 429). */
  retryAfter?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** The chance, 0-1, that the rule takes effect on a matching request (default 1). */
  probability?: number;
  /** Rules only: take effect this many times, then stand aside (e.g. 1: the first call fails, the retry works). */
  times?: number;
}

/** A rule of a sandbox: a fault on one API or operation, or on every request. */
export interface FaultRule extends FaultSpec {
  id: string;
  /** The API's name (e.g. `productive`); every API when absent. */
  api?: string;
  /** The operationId; every operation when absent. */
  operationId?: string;
  createdAt: string;
  /** How many requests it has taken effect on. */
  hits: number;
}

/** What the journal keeps of a fault that took effect. */
export interface FaultMarker {
  /** The rule's id, or `header` when X-Standin-Fault asked for it. */
  source: string;
  latencyMs?: number;
  status?: number;
  reset?: boolean;
}

export class FaultError extends Error {}

const KEYS = new Set([
  'api',
  'operationId',
  'latencyMs',
  'status',
  'message',
  'retryAfter',
  'reset',
  'probability',
  'times',
]);

function latencyOf(value: unknown): number | [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 120_000;
  if (ok(value)) return value;
  if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1]) && value[0] <= value[1])
    return [value[0], value[1]];
  throw new FaultError('latencyMs must be milliseconds (0-120000) or [min, max]');
}

/** Checks a spec (from JSON or the header): throws FaultError naming what is wrong. */
export function checkFaultSpec(input: Record<string, unknown>): FaultSpec {
  const spec: FaultSpec = {};
  if (input.latencyMs !== undefined) spec.latencyMs = latencyOf(input.latencyMs);
  if (input.status !== undefined) {
    if (!Number.isInteger(input.status) || (input.status as number) < 400 || (input.status as number) > 599)
      throw new FaultError('status must be a whole number from 400 to 599');
    spec.status = input.status as number;
  }
  if (input.message !== undefined) {
    if (typeof input.message !== 'string' || input.message.length > 500)
      throw new FaultError('message must be a string of at most 500 characters');
    spec.message = input.message;
  }
  if (input.retryAfter !== undefined) {
    if (!Number.isInteger(input.retryAfter) || (input.retryAfter as number) < 0)
      throw new FaultError('retryAfter must be whole seconds');
    spec.retryAfter = input.retryAfter as number;
  }
  if (input.reset !== undefined) {
    if (typeof input.reset !== 'boolean') throw new FaultError('reset must be true or false');
    if (input.reset) spec.reset = true;
  }
  if (input.probability !== undefined) {
    const p = input.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new FaultError('probability must be a number from 0 to 1');
    spec.probability = p;
  }
  if (spec.latencyMs === undefined && spec.status === undefined && !spec.reset)
    throw new FaultError('a fault needs latencyMs, status or reset');
  if (spec.status !== undefined && spec.reset)
    throw new FaultError('a fault answers a status or resets the connection, not both');
  if (spec.retryAfter !== undefined && spec.status === undefined)
    throw new FaultError('retryAfter goes with a status (e.g. 429)');
  return spec;
}

/**
 * The X-Standin-Fault header: `;`- or `,`-separated items, e.g. `status=500`, `latency=200-800`, `reset`,
 * `status=429;retry-after=3`, `status=503;probability=0.5;message=Down for maintenance`.
 */
export function parseFaultHeader(value: string): FaultSpec {
  const input: Record<string, unknown> = {};
  for (const item of value
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    const key = (at < 0 ? item : item.slice(0, at)).trim().toLowerCase();
    const raw = at < 0 ? '' : item.slice(at + 1).trim();
    const number = (n: string) => (n === '' || Number.isNaN(Number(n)) ? n : Number(n));
    switch (key) {
      case 'status':
        input.status = number(raw);
        break;
      case 'latency': {
        const range = /^(\d+)\s*-\s*(\d+)$/.exec(raw);
        input.latencyMs = range ? [Number(range[1]), Number(range[2])] : number(raw);
        break;
      }
      case 'retry-after':
        input.retryAfter = number(raw);
        break;
      case 'reset':
        input.reset = raw === '' || raw === 'true';
        break;
      case 'probability':
        input.probability = number(raw);
        break;
      case 'message':
        input.message = raw;
        break;
      default:
        throw new FaultError(`unknown item "${key}" (use status, latency, retry-after, reset, probability, message)`);
    }
  }
  return checkFaultSpec(input);
}

/**
 * The fault rules of every sandbox, in memory; with a shared store (store-redis/) also kept beside the sandbox's
 * state there (`persist`), and loaded with the sandbox (`load`), so that they follow it to another server.
 */
export class FaultStore {
  private readonly rules = new Map<string, FaultRule[]>();
  private readonly saving = new Map<string, Promise<void>>();
  /** Keeps a sandbox's rules where they outlive this server; rejects when it cannot. */
  persist: ((sandboxId: string, rules: FaultRule[]) => Promise<void>) | undefined;

  constructor(
    /** Names of the mounted APIs and their operationIds, to refuse rules that could never match. */
    private readonly operations: Map<string, Set<string>>,
    private readonly random: () => number = Math.random,
  ) {}

  list(sandboxId: string): FaultRule[] {
    return this.rules.get(sandboxId) ?? [];
  }

  /** The sandbox's rules as its shared store keeps them (the sandbox was loaded on this server). */
  load(sandboxId: string, rules: FaultRule[]): void {
    if (rules.length) this.rules.set(sandboxId, rules);
    else this.rules.delete(sandboxId);
  }

  /** Resolves once the sandbox's rules as they are now are persisted (at once without a shared store). */
  saved(sandboxId: string): Promise<void> {
    return this.saving.get(sandboxId) ?? Promise.resolve();
  }

  private changed(sandboxId: string): void {
    if (!this.persist) return;
    const saving = this.persist(sandboxId, this.list(sandboxId));
    saving.catch(() => undefined);
    this.saving.set(sandboxId, saving);
  }

  /** Adds a rule from its JSON form; throws FaultError when it is wrong. */
  add(sandboxId: string, input: unknown): FaultRule {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw new FaultError('body must be a JSON object');
    const body = input as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new FaultError(`unknown field ${unknown.join(', ')}`);
    const { api, operationId } = body;
    if (api !== undefined && (typeof api !== 'string' || !this.operations.has(api)))
      throw new FaultError(`api must be one of ${[...this.operations.keys()].join(', ')}`);
    if (operationId !== undefined) {
      if (typeof operationId !== 'string') throw new FaultError('operationId must be a string');
      const owners = [...this.operations].filter(
        ([name, ids]) => (api === undefined || name === api) && ids.has(operationId),
      );
      if (!owners.length) throw new FaultError(`no operation ${operationId}${api ? ` in ${api}` : ''}`);
    }
    if (body.times !== undefined && (!Number.isInteger(body.times) || (body.times as number) < 1))
      throw new FaultError('times must be a whole number, 1 or more');
    const rule: FaultRule = {
      id: randomUUID().slice(0, 8),
      ...(api !== undefined && { api: api as string }),
      ...(operationId !== undefined && { operationId: operationId as string }),
      ...checkFaultSpec(body),
      ...(body.times !== undefined && { times: body.times as number }),
      createdAt: new Date().toISOString(),
      hits: 0,
    };
    this.rules.set(sandboxId, [...this.list(sandboxId), rule]);
    this.changed(sandboxId);
    return rule;
  }

  remove(sandboxId: string, ruleId: string): boolean {
    const rules = this.list(sandboxId);
    const kept = rules.filter((r) => r.id !== ruleId);
    this.rules.set(sandboxId, kept);
    this.changed(sandboxId);
    return kept.length < rules.length;
  }

  clear(sandboxId: string): number {
    const count = this.list(sandboxId).length;
    this.rules.delete(sandboxId);
    this.changed(sandboxId);
    return count;
  }

  /**
   * The fault for one request: the header's, else the first rule of the sandbox that matches the operation and
   * whose probability draw succeeds. Undefined when none takes effect.
   */
  decide(
    sandboxId: string,
    api: string,
    operationId: string,
    header: string | string[] | undefined,
  ): Fault | undefined {
    if (header !== undefined) {
      const spec = parseFaultHeader(Array.isArray(header) ? header.join(';') : header);
      return this.draw(spec) ? resolve(spec, 'header', this.random) : undefined;
    }
    for (const rule of this.rules.get(sandboxId) ?? []) {
      if ((rule.api && rule.api !== api) || (rule.operationId && rule.operationId !== operationId)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (!this.draw(rule)) continue;
      rule.hits++;
      // Not awaited: a hit counted just before a crash may be counted again by the next server.
      this.changed(sandboxId);
      return resolve(rule, rule.id, this.random);
    }
    return undefined;
  }

  private draw(spec: FaultSpec): boolean {
    return spec.probability === undefined || spec.probability >= 1 || this.random() < spec.probability;
  }
}

/** A fault decided for one request. */
export interface Fault {
  marker: FaultMarker;
  latencyMs: number;
  spec: FaultSpec;
}

function resolve(spec: FaultSpec, source: string, random: () => number): Fault {
  const latency = spec.latencyMs;
  const latencyMs =
    latency === undefined
      ? 0
      : Array.isArray(latency)
        ? Math.round(latency[0] + random() * (latency[1] - latency[0]))
        : latency;
  return {
    spec,
    latencyMs,
    marker: {
      source,
      ...(latencyMs > 0 && { latencyMs }),
      ...(spec.status !== undefined && { status: spec.status }),
      ...(spec.reset && { reset: true }),
    },
  };
}
