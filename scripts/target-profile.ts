/**
 * What a target serves and how it writes paths: from a profile file, or learnt by probing it. A backend often
 * implements part of an API (djaodjin-saas has no identity endpoints) and writes paths its own way (djaodjin-saas
 * 1.2.2 drops the trailing slash); verify reports an operation it lacks once, as not served, instead of failing
 * every scenario that calls it.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { loadContract, type Operation } from '../server/core/contract/load.ts';
import { isJsonMediaType, mediaTypeOf, summariseBody } from '../server/core/proxy/body-summary.ts';
import { styledPath, type PathStyle } from '../server/core/proxy/path-style.ts';

/** A profile file (JSON or YAML). Every field is optional; the command line wins over the file. */
export interface TargetProfile {
  api?: string;
  /** Base URL of the API. */
  target?: string;
  /** Credentials the suites read (DJAOAPP_MANAGER…); a value `$NAME` is read from the environment variable NAME. */
  credentials?: Record<string, string>;
  /** `slash`: paths as the contract writes them; `slashless`: without the trailing slash. Detected when absent. */
  pathStyle?: PathStyle;
  /** Operations the target does not serve: operationIds, `*` globs (`users_*`), or contract paths (`/api/users/`). */
  notServed?: string[];
  /** Probe every operation to learn which ones the target serves (default true). */
  probe?: boolean;
  /**
   * The scenarios may leave records the target's API cannot delete (default false: those scenarios are skipped on a
   * foreign target, so that a run leaves it as it found it).
   */
  permanentRecords?: boolean;
}

export function loadProfile(file: string): TargetProfile {
  const text = readFileSync(file, 'utf8');
  const profile = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as TargetProfile | null;
  if (!profile || typeof profile !== 'object' || Array.isArray(profile))
    throw new Error(
      `${file}: a profile is an object (api, target, credentials, pathStyle, notServed, probe, permanentRecords)`,
    );
  const known = new Set(['api', 'target', 'credentials', 'pathStyle', 'notServed', 'probe', 'permanentRecords']);
  const unknown = Object.keys(profile).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`${file}: unknown field ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  if (profile.pathStyle !== undefined && profile.pathStyle !== 'slash' && profile.pathStyle !== 'slashless')
    throw new Error(`${file}: pathStyle is 'slash' or 'slashless'`);
  if (
    profile.notServed !== undefined &&
    (!Array.isArray(profile.notServed) || profile.notServed.some((n) => typeof n !== 'string'))
  )
    throw new Error(`${file}: notServed is a list of operationIds, globs or paths`);
  if (profile.permanentRecords !== undefined && typeof profile.permanentRecords !== 'boolean')
    throw new Error(`${file}: permanentRecords is true or false`);
  return profile;
}

/** The profile's credentials, `$NAME` values read from the environment. */
export function profileCredentials(
  profile: TargetProfile,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(profile.credentials ?? {}).map(([name, value]) => {
      const ref = /^\$\{?(\w+)\}?$/.exec(String(value));
      if (!ref) return [name, String(value)];
      const found = env[ref[1]!];
      if (found === undefined) throw new Error(`credential ${name}: the environment has no ${ref[1]}`);
      return [name, found];
    }),
  );
}

/** Does an entry of `notServed` name this operation? */
export function namesOperation(entry: string, operation: Pick<Operation, 'operationId' | 'path'>): boolean {
  if (entry.startsWith('/')) return operation.path === entry;
  const pattern = new RegExp(
    `^${entry
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return pattern.test(operation.operationId);
}

/** What an answer looks like, its paths blanked: the same page for two unknown routes has the same fingerprint. */
export interface Fingerprint {
  status: number;
  mediaType: string;
  title?: string;
}

export const blankPaths = (text: string): string => text.replace(/\/[^\s"'<>]*/g, '<path>');

export const sameFingerprint = (a: Fingerprint, b: Fingerprint): boolean =>
  a.status === b.status && a.mediaType === b.mediaType && (a.title ?? '') === (b.title ?? '');

const PROBE_ID = 'standin-probe-none';
const PROBES_AT_ONCE = 6;

/** The operation's path with every parameter an id that cannot exist. */
export function probePath(operation: Pick<Operation, 'path' | 'parameters'>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string, at: number) => {
    const glued = at > 0 && operation.path[at - 1] !== '/';
    if (glued) return `/${PROBE_ID}/`;
    const type = operation.parameters.find((p) => p.in === 'path' && p.name === name)?.schema.type;
    return type === 'integer' || type === 'number' ? '999999999' : PROBE_ID;
  });
}

/** One anonymous request, redirects not followed; its fingerprint, or undefined when the target did not answer. */
async function fingerprintOf(url: string, method: string): Promise<Fingerprint | undefined> {
  const writes = !['GET', 'HEAD', 'DELETE'].includes(method);
  try {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: writes ? { 'content-type': 'application/json' } : {},
      body: writes ? '{}' : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const summary = summariseBody(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type'));
    const fingerprint: Fingerprint = { status: res.status, mediaType: mediaTypeOf(res.headers.get('content-type')) };
    if (summary.title) fingerprint.title = blankPaths(summary.title);
    return fingerprint;
  } catch {
    return undefined;
  }
}

/** The first path segments every operation shares (`/api` for DjaoApp): unknown routes are probed below it. */
function commonPrefix(paths: string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const prefix: string[] = [];
  for (let i = 0; split.every((s) => s.length > i + 1 && s[i] === split[0]![i] && !s[i]!.includes('{')); i++)
    prefix.push(split[0]![i]!);
  return prefix.length ? `/${prefix.join('/')}` : '';
}

/** The target's page for a route that cannot exist, in both path styles, when it is not JSON (an HTML 404 page). */
export async function unknownRouteFingerprints(base: string, api: string): Promise<Fingerprint[]> {
  const prefix = commonPrefix(loadContract(api).operations.map((o) => o.path));
  const path = `${prefix}/standin-probe-${randomUUID().slice(0, 8)}/`;
  const answers = await Promise.all([
    fingerprintOf(`${base}${path}`, 'GET'),
    fingerprintOf(`${base}${path.slice(0, -1)}`, 'GET'),
  ]);
  // A JSON answer to an unknown route (a Standin's, or an API's own 404) cannot be told from a record not found.
  return answers.filter((a): a is Fingerprint => a !== undefined && !isJsonMediaType(a.mediaType));
}

const routed = (answer: Fingerprint | undefined, unknown: Fingerprint[]) =>
  answer !== undefined &&
  !unknown.some((u) => sameFingerprint(u, answer)) &&
  !(answer.status >= 300 && answer.status < 400);

/**
 * Which path style the target routes: the public GET operations without parameters are asked in both forms; a
 * form that answers the target's unknown-route page (or redirects to the other) does not count.
 */
export async function detectPathStyle(base: string, api: string, unknown: Fingerprint[]): Promise<PathStyle> {
  const candidates = loadContract(api).operations.filter(
    (o) => o.method === 'get' && !o.path.includes('{') && o.path.endsWith('/') && o.path.length > 1,
  );
  let slash = 0;
  let slashless = 0;
  for (const op of candidates.slice(0, 8)) {
    const [withSlash, without] = await Promise.all([
      fingerprintOf(`${base}${op.path}`, 'GET'),
      fingerprintOf(`${base}${styledPath(op.path, 'slashless')}`, 'GET'),
    ]);
    if (routed(withSlash, unknown) && !routed(without, unknown)) slash++;
    if (routed(without, unknown) && !routed(withSlash, unknown)) slashless++;
  }
  return slashless > slash ? 'slashless' : 'slash';
}

export interface NotServed {
  operationId: string;
  /** How it is known: the profile, the probe's answer, or the run (every call answered the unknown-route page). */
  reason: string;
}

/**
 * Probes every operation anonymously, with ids that cannot exist and an empty JSON body: an answer that is the
 * target's unknown-route page (same status, media type and title, paths blanked) in a media type the contract does
 * not document for that status (so not a record-not-found in the API's own format) means the route is not there;
 * a 405 the contract does not document means the path is there but not the method. Anything else (a 401/403, a
 * 400, a 404 in the API's own format) means the operation is served.
 */
export async function probeOperations(
  base: string,
  api: string,
  style: PathStyle,
  unknown: Fingerprint[],
): Promise<NotServed[]> {
  const verdict = async (op: Operation): Promise<NotServed | undefined> => {
    const method = op.method.toUpperCase();
    const answer = await fingerprintOf(`${base}${styledPath(probePath(op), style)}`, method);
    if (!answer) return undefined;
    if (!documented(op, answer.status, answer.mediaType) && unknown.some((u) => sameFingerprint(u, answer)))
      return {
        operationId: op.operationId,
        reason: `probe: ${method} ${op.path} answers this target's unknown-route page (${describeFingerprint(answer)})`,
      };
    if (answer.status === 405 && !op.responses['405'])
      return { operationId: op.operationId, reason: `probe: ${op.path} is routed but answers 405 to ${method}` };
    return undefined;
  };
  const operations = loadContract(api).operations;
  const found: (NotServed | undefined)[] = [];
  // A few at a time: a Django runserver answers in parallel, and a slow one takes seconds a request.
  for (let i = 0; i < operations.length; i += PROBES_AT_ONCE)
    found.push(...(await Promise.all(operations.slice(i, i + PROBES_AT_ONCE).map(verdict))));
  return found.filter((f): f is NotServed => f !== undefined);
}

/** Does the contract document this status with this media type for the operation? */
export function documented(op: Operation, status: number, mediaType: string | undefined): boolean {
  const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
  if (!response) return false;
  const types = Object.keys(response);
  return types.length === 0 ? !mediaType : types.some((t) => t.toLowerCase() === mediaType);
}

export function describeFingerprint(f: Fingerprint): string {
  return `${f.status} ${f.mediaType || '(no media type)'}${f.title ? ` "${f.title}"` : ''}`;
}
