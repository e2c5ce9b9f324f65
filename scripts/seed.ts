/**
 * `standin seed --api <api> --scale N`: fills a sandbox of a running Standin with faker data consistent with the
 * fixtures, through the admin API (GET the sandbox's state, put the API's fixtures plus N generated records in
 * it, PUT it back). Other APIs' state and the clock are left as they are. Reproducible: same --seed, same data.
 */
import { djaoappStateWithUsers } from '../fixtures/djaoapp/generate.ts';
import { productiveStateWithPrices } from '../fixtures/productive/generate.ts';
import { togaiStateWithAccounts } from '../fixtures/togai/generate.ts';
import { togglStateWithOrganizations } from '../fixtures/toggl/generate.ts';
import { Progress } from './cli-output.ts';

interface GenerateInput {
  seed?: number;
  /** The sandbox clock: histories (Toggl) are brought up to it. */
  now: Date;
}

/** Per API: the fixtures plus `scale` generated records of its main resource (and what hangs off them). */
export const seedGenerators: Record<
  string,
  { unit: string; generate: (scale: number, input: GenerateInput) => unknown }
> = {
  productive: { unit: 'prices', generate: (n, { seed }) => productiveStateWithPrices(n, { seed }) },
  togai: {
    unit: 'accounts (with aliases, some with pricing schedules)',
    generate: (n, { seed }) => togaiStateWithAccounts(n, { seed }),
  },
  toggl: {
    unit: 'organizations (owner, teammates, workspace, billing history)',
    generate: (n, { seed, now }) => togglStateWithOrganizations(n, { seed, until: now }),
  },
  djaoapp: {
    unit: 'users (some with personal profiles, activities)',
    generate: (n, { seed }) => djaoappStateWithUsers(n, { seed }),
  },
};

export interface SeedOptions {
  api: string;
  scale: number;
  sandbox: string;
  /** The Standin to fill: its origin, e.g. http://127.0.0.1:4010 (a path after it is ignored). */
  target: string;
  seed?: number;
  /** No progress lines (for --json). */
  quiet?: boolean;
  /** The Standin's --admin-token, when it has one. */
  adminToken?: string;
}

export interface SeedResult {
  api: string;
  sandbox: string;
  target: string;
  scale: number;
  seed: number | null;
  /** Records per collection of the API's state, before and after. */
  before: Record<string, number>;
  after: Record<string, number>;
  bytes: number;
  durationMs: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** Records in a collection: an array, an id → record map, or such collections per tenant; undefined otherwise. */
function sizeOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (!isRecord(value)) return undefined;
  const children = Object.values(value);
  if (!children.length || !children.every((c) => isRecord(c) || Array.isArray(c))) return undefined;
  const nested = children.every(
    (c) => Array.isArray(c) || Object.values(c as object).every((g) => isRecord(g) || Array.isArray(g)),
  );
  return nested ? children.reduce<number>((sum, c) => sum + (sizeOf(c) ?? 0), 0) : children.length;
}

/** How many records each collection of an API's state holds (its top-level keys). */
export function countRecords(slice: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (isRecord(slice))
    for (const [key, value] of Object.entries(slice)) {
      const size = sizeOf(value);
      if (size !== undefined) counts[key] = size;
    }
  return counts;
}

async function call(url: string, init?: RequestInit): Promise<any> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    throw new Error(
      `no Standin answers at ${new URL(url).origin} (${(error as Error).cause ?? (error as Error).message}): start one with \`npm start\` or give --target`,
    );
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function seed(options: SeedOptions): Promise<SeedResult> {
  const generator = seedGenerators[options.api];
  if (!generator)
    throw new Error(`no generator for ${options.api}; available: ${Object.keys(seedGenerators).join(', ')}`);
  if (!Number.isInteger(options.scale) || options.scale < 0) throw new Error('--scale must be a whole number');
  const origin = new URL(options.target).origin;
  const admin = `${origin}/__standin`;
  const sandboxUrl = `${admin}/sandboxes/${encodeURIComponent(options.sandbox)}`;
  const started = performance.now();
  const progress = new Progress(4, options.quiet);
  const authorization: Record<string, string> = options.adminToken
    ? { authorization: `Bearer ${options.adminToken}` }
    : {};

  const health = await progress.step(`reaching ${origin}`, () => call(`${admin}/health`));
  if (!health.apis.some((a: { name: string }) => a.name === options.api))
    throw new Error(
      `${origin} does not serve ${options.api} (it serves ${health.apis.map((a: { name: string }) => a.name).join(', ')})`,
    );
  const [state, clock] = await progress.step(`reading sandbox ${options.sandbox}`, async () => {
    // Reading a sandbox never makes one: a new one is made from the fixtures (a reset) first.
    if ((await fetch(sandboxUrl, { headers: authorization })).status === 404)
      await call(`${sandboxUrl}/reset`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
      });
    return Promise.all([
      call(`${sandboxUrl}/state`, { headers: authorization }),
      call(`${sandboxUrl}/clock`, { headers: authorization }),
    ]);
  });
  const before = countRecords(state.apis[options.api]);
  const generated = await progress.step(`generating ${options.scale} ${generator.unit}`, () =>
    generator.generate(options.scale, { seed: options.seed, now: new Date(clock.now) }),
  );
  const body = JSON.stringify({ ...state, apis: { ...state.apis, [options.api]: generated } });
  await progress.step(`writing ${(body.length / 1024 / 1024).toFixed(1)} MB into sandbox ${options.sandbox}`, () =>
    call(`${sandboxUrl}/state`, {
      method: 'PUT',
      headers: { ...authorization, 'content-type': 'application/json' },
      body,
    }),
  );
  return {
    api: options.api,
    sandbox: options.sandbox,
    target: origin,
    scale: options.scale,
    seed: options.seed ?? null,
    before,
    after: countRecords(generated),
    bytes: body.length,
    durationMs: Math.round(performance.now() - started),
  };
}
