/**
 * `standin record`: runs an API's portable scenarios against a real backend through the validating proxy, and
 * keeps each exchange in a form that can be committed and replayed offline: method, path, who was signed in,
 * the request body (passwords and tokens masked), the status, media type and body shape of the answer, the body
 * itself for 4xx JSON answers (deterministic error messages), and a summary of any non-JSON page. Cookies,
 * tokens, secrets and timestamps are not kept. suites/djaoapp/recorded-exchanges.test.ts replays them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  isJsonMediaType,
  mediaTypeOf,
  shapeOf,
  summariseBody,
  type BodySummary,
} from '../server/core/proxy/body-summary.ts';
import { loadRecording, type RecordedExchange } from '../server/core/proxy/replay.ts';
import { validatingProxy } from '../server/core/proxy/validating-proxy.ts';
import { readScenarios } from './reports.ts';
import { blankPaths, sameFingerprint, type Fingerprint } from './target-profile.ts';
import { learnTarget, reporterFile, runSuites } from './verify.ts';

/** One exchange as committed: nothing secret, nothing that changes from one recording to the next. */
export interface Exchange {
  operationId: string;
  method: string;
  /** Path and query, as the suites sent them (below the API's base URL). */
  path: string;
  /** Who was signed in: a username (a token that user got at login), `invalid` (a token no login gave), or absent. */
  auth?: string;
  /** Names of the cookies sent (their values are the backend's). */
  cookies?: string[];
  contentType?: string;
  /** The JSON body, passwords as `<password>` and tokens as `<token of USER>`; text bodies as they were. */
  body?: unknown;
  status: number;
  mediaType: string;
  /** The answer's shape (JSON answers). */
  shape?: string;
  /** The answer itself, for a 4xx JSON answer: an error message is the same every time. */
  value?: unknown;
  /** A non-JSON answer, summarised. */
  page?: BodySummary;
}

export interface Recording {
  api: string;
  backend: string;
  recordedAt: string;
  pathStyle: string;
  scenarios: { passed: number; failed: number; skipped: number };
  /** Exchanges left out: operations the backend does not serve (profile, probe, or its unknown-route page), or none at all. */
  left: { notServed: number; unrouted: number };
  exchanges: Exchange[];
}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Tokens the backend gave at login, by value → username. */
function tokensOf(exchanges: RecordedExchange[]): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const e of exchanges) {
    if (e.operationId !== 'auth_login' || e.status >= 300) continue;
    const request = parseJson(e.requestBody) as { username?: string };
    const answer = parseJson(Buffer.from(e.body, 'base64').toString('utf8')) as { token?: string };
    if (typeof request?.username === 'string' && typeof answer?.token === 'string')
      tokens.set(answer.token, request.username);
  }
  return tokens;
}

/** Replaces the configured passwords and the tokens anywhere in a body (a wrong password sent on purpose stays). */
export function maskSecrets(value: unknown, passwords: Set<string>, tokens: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, passwords, tokens));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, passwords, tokens)]));
  if (typeof value !== 'string') return value;
  if (passwords.has(value)) return '<password>';
  if (tokens.has(value)) return `<token of ${tokens.get(value)}>`;
  if (JWT.test(value) && value.length > 40) return '<token>';
  return value;
}

function authOf(headers: Record<string, string>, tokens: Map<string, string>): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const bearer = /^Bearer (.+)$/i.exec(header);
  return bearer && tokens.has(bearer[1]!) ? tokens.get(bearer[1]!) : 'invalid';
}

export function sanitise(
  exchanges: RecordedExchange[],
  passwords: Set<string>,
  unknownRoute: Fingerprint[],
  notServed: ReadonlySet<string> = new Set(),
): { kept: Exchange[]; left: Recording['left'] } {
  const tokens = tokensOf(exchanges);
  const left = { notServed: 0, unrouted: 0 };
  const kept: Exchange[] = [];
  for (const e of exchanges) {
    const answer = Buffer.from(e.body, 'base64');
    const mediaType = mediaTypeOf(e.headers['content-type']);
    const summary = summariseBody(answer, e.headers['content-type']);
    const fingerprint: Fingerprint = {
      status: e.status,
      mediaType,
      ...(summary.title ? { title: blankPaths(summary.title) } : {}),
    };
    if (!e.operationId) {
      left.unrouted++;
      continue;
    }
    if (
      notServed.has(e.operationId) ||
      (!isJsonMediaType(mediaType) && unknownRoute.some((u) => sameFingerprint(u, fingerprint)))
    ) {
      left.notServed++;
      continue;
    }
    const headers = e.requestHeaders ?? {};
    const exchange: Exchange = {
      operationId: e.operationId,
      method: e.method,
      path: e.url,
      status: e.status,
      mediaType,
    };
    const auth = authOf(headers, tokens);
    if (auth) exchange.auth = auth;
    if (headers.cookie)
      exchange.cookies = headers.cookie
        .split(';')
        .map((c) => c.split('=')[0]!.trim())
        .sort();
    if (e.requestBody) {
      exchange.contentType = mediaTypeOf(headers['content-type']);
      exchange.body = isJsonMediaType(exchange.contentType)
        ? maskSecrets(parseJson(e.requestBody), passwords, tokens)
        : e.requestBody;
    }
    if (isJsonMediaType(mediaType) && answer.length) {
      const body = parseJson(answer.toString('utf8'));
      exchange.shape = shapeOf(body);
      if (e.status >= 400 && e.status < 500) exchange.value = maskSecrets(body, passwords, tokens);
    } else if (answer.length) exchange.page = summary;
    kept.push(exchange);
  }
  return { kept, left };
}

export interface RecordOptions {
  api: string;
  target: string;
  credentials: Record<string, string>;
  /** Where exchanges.json is written. */
  out: string;
  pathStyle?: 'slash' | 'slashless';
  /** Operations the backend does not serve, as a profile lists them: their exchanges are left out. */
  notServed?: string[];
  /** The suite files to run (default suites/<api>/). */
  files?: string[];
}

export async function record(options: RecordOptions): Promise<Recording> {
  const target = options.target.replace(/\/$/, '');
  const facts = await learnTarget({
    api: options.api,
    target,
    pathStyle: options.pathStyle,
    notServed: options.notServed,
  });
  const work = mkdtempSync(join(tmpdir(), 'standin-record-'));
  const proxy = await validatingProxy({
    api: options.api,
    target,
    recordDir: join(work, 'raw'),
    pathStyle: facts.pathStyle.style,
  });
  const server = proxy.app.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // The proxy changes the path style itself: the suites send the contract's paths.
    await runSuites(
      options.api,
      { ...options.credentials, STANDIN_TARGET: base, PACT_PROVIDER_BASE_URL: '' },
      join(work, 'report'),
      [reporterFile],
      options.files ?? [`suites/${options.api}/`],
    );
  } finally {
    await new Promise((done) => server.close(done));
    server.closeAllConnections();
  }
  const scenarios = readScenarios(join(work, 'report', 'scenarios.json'));
  const passwords = new Set(
    Object.entries(options.credentials)
      .filter(([k]) => /PASSWORD/.test(k))
      .map(([, v]) => v),
  );
  const { kept, left } = sanitise(
    loadRecording(join(work, 'raw')),
    passwords,
    facts.unknownRoute,
    new Set(facts.notServed.keys()),
  );
  const recording: Recording = {
    api: options.api,
    backend: target.replace(/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?/, 'loopback'),
    recordedAt: new Date().toISOString().slice(0, 10),
    pathStyle: facts.pathStyle.style,
    scenarios: {
      passed: scenarios.filter((s) => s.status === 'passed').length,
      failed: scenarios.filter((s) => s.status === 'failed').length,
      skipped: scenarios.filter((s) => s.status === 'skipped').length,
    },
    left,
    exchanges: kept,
  };
  mkdirSync(resolve(options.out), { recursive: true });
  writeFileSync(join(resolve(options.out), 'exchanges.json'), `${JSON.stringify(recording, null, 1)}\n`);
  rmSync(work, { recursive: true, force: true });
  return recording;
}
