/**
 * The validating proxy: forwards every request unchanged to a real backend, serves its answer as is, and has
 * Prism's router and validators (an implementation independent of Standin's own) judge both sides against our
 * contract. Each violation is kept with a curl line that reproduces it; traffic can be recorded for replay.
 */
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import type { IPrismDiagnostic } from '@stoplight/prism-core';
import type { IHttpOperation } from '@stoplight/types';
import { getHttpOperationsFromSpec, type IHttpRequest, type IHttpResponse } from '@stoplight/prism-http';
import { contractFile } from '../contract/load.ts';
import { Journal } from '../sandbox/journal.ts';
import type { Problem } from '../validator/compile.ts';
import type { RecordedExchange } from './replay.ts';
import { styledPath, type PathStyle } from './path-style.ts';

// Prism's router and validators are deep imports of a CommonJS package without an exports map.
const require = createRequire(import.meta.url);
const interop = <T>(mod: { default?: T } & T): T => mod.default ?? mod;
const prismRoute = interop(require('@stoplight/prism-http/dist/router/index.js')) as (opts: {
  resources: IHttpOperation[];
  input: IHttpRequest;
}) => { _tag: 'Left'; left: Error } | { _tag: 'Right'; right: IHttpOperation };
type Verdict<T> = { _tag: 'Left'; left: IPrismDiagnostic[] } | { _tag: 'Right'; right: T };
const prismValidator = require('@stoplight/prism-http/dist/validator/index.js') as {
  validateInput: (opts: { resource: IHttpOperation; element: IHttpRequest }) => Verdict<IHttpRequest>;
  validateOutput: (opts: { resource: IHttpOperation; element: IHttpResponse }) => Verdict<IHttpResponse>;
};

export interface Violation {
  operationId: string | null;
  side: 'request' | 'response';
  /** JSON pointer into the side's body (or to the parameter), as Prism locates it. */
  pointer: string;
  keyword: string;
  message: string;
  status: number;
  curl: string;
}

export interface ProxyOptions {
  api: string;
  /** Base URL of the real API, e.g. https://api.productive.io */
  target: string;
  /** Directory for violations.jsonl (appended as they happen). */
  reportDir?: string;
  /** Directory to record the traffic into, for `standin serve --replay`. */
  recordDir?: string;
  /** How the backend writes paths: `slashless` forwards each path without its trailing slash (default `slash`: as sent). */
  pathStyle?: PathStyle;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'proxy-authorization',
  'te',
  'trailer',
]);

function single(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]],
    ),
  );
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (!raw.length) return undefined;
  const text = raw.toString('utf8');
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl line that sends the same request to the same target. */
export function curlLine(method: string, url: string, headers: Record<string, string>, body: Buffer): string {
  const parts = ['curl', '-sS', '-X', method, shellQuote(url)];
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (body.length) parts.push('--data-binary', shellQuote(body.toString('utf8')));
  return parts.join(' ');
}

/**
 * Prism's diagnostics as violations, located like Standin's own problems: a JSON pointer into the body (to the
 * missing property itself for `required`), and `status` for an undocumented status code.
 */
function toViolations(
  side: Violation['side'],
  diagnostics: IPrismDiagnostic[],
  base: Omit<Violation, 'side' | 'pointer' | 'keyword' | 'message'>,
): Violation[] {
  return diagnostics.map((d) => {
    const path = d.path ?? [];
    let pointer = (path[0] === 'body' ? path.slice(1) : path).map((part) => `/${part}`).join('');
    let keyword = String(d.code ?? 'invalid');
    const missing = keyword === 'required' ? /required property '([^']+)'/.exec(d.message) : null;
    if (missing) pointer += `/${missing[1]}`;
    if (/returned status code/i.test(d.message)) keyword = 'status';
    return { ...base, side, pointer, keyword, message: d.message };
  });
}

export interface ValidatingProxy {
  app: express.Express;
  violations: Violation[];
  journal: Journal;
}

export async function validatingProxy(options: ProxyOptions): Promise<ValidatingProxy> {
  const operations = (await getHttpOperationsFromSpec(contractFile(options.api))) as IHttpOperation[];
  const target = options.target.replace(/\/$/, '');
  const violations: Violation[] = [];
  const journal = new Journal(500);
  let recorded = 0;
  if (options.reportDir) mkdirSync(options.reportDir, { recursive: true });
  if (options.recordDir) mkdirSync(options.recordDir, { recursive: true });

  const app = express();
  app.disable('x-powered-by');
  app.get('/__standin/violations', (_req, res) => void res.json(violations));
  app.get(
    '/__standin/journal',
    (req, res) => void res.json(journal.last(req.query.limit ? Number(req.query.limit) : undefined)),
  );
  app.use(express.raw({ type: () => true, limit: '50mb' }));
  app.use(async (req: Request, res: Response) => {
    const started = performance.now();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const url = `${target}${styledPath(req.originalUrl, options.pathStyle ?? 'slash')}`;
    const headers = single(req.headers);
    const input: IHttpRequest = {
      method: req.method.toLowerCase() as IHttpRequest['method'],
      url: { path: req.path, query: req.query as Record<string, string | string[]> },
      headers,
      body: parseBody(raw, headers['content-type']),
    };
    const routed = prismRoute({ resources: operations, input });
    const operation = routed._tag === 'Right' ? routed.right : undefined;

    let upstream: globalThis.Response;
    try {
      upstream = await fetch(url, {
        method: req.method,
        headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k))),
        body: raw.length && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(raw) : undefined,
        redirect: 'manual',
      });
    } catch (error) {
      res.status(502).json({ standin: `proxy could not reach ${target}`, message: (error as Error).message });
      return;
    }
    const answer = Buffer.from(await upstream.arrayBuffer());
    const answerHeaders = Object.fromEntries(
      [...upstream.headers.entries()].filter(([k]) => !HOP_BY_HOP.has(k) && k !== 'content-encoding'),
    );

    const base = {
      operationId: operation?.iid ?? null,
      status: upstream.status,
      curl: curlLine(req.method, url, headers, raw),
    };
    const found: Violation[] = [];
    if (operation) {
      const checkedIn = prismValidator.validateInput({ resource: operation, element: input });
      if (checkedIn._tag === 'Left') found.push(...toViolations('request', checkedIn.left, base));
      const output: IHttpResponse = {
        statusCode: upstream.status,
        headers: answerHeaders,
        body: parseBody(answer, answerHeaders['content-type']),
      };
      const checkedOut = prismValidator.validateOutput({ resource: operation, element: output });
      if (checkedOut._tag === 'Left') found.push(...toViolations('response', checkedOut.left, base));
    } else {
      found.push({
        ...base,
        side: 'request',
        pointer: '',
        keyword: 'route',
        message: routed._tag === 'Left' ? routed.left.message : 'no operation',
      });
    }
    violations.push(...found);
    if (options.reportDir && found.length)
      appendFileSync(
        join(options.reportDir, 'violations.jsonl'),
        `${found.map((v) => JSON.stringify(v)).join('\n')}\n`,
      );

    res.status(upstream.status);
    for (const [k, v] of Object.entries(answerHeaders)) res.setHeader(k, v);
    res.end(answer);

    const problems = (side: Violation['side']): Problem[] =>
      found
        .filter((v) => v.side === side)
        .map((v) => ({
          in: side === 'request' ? 'body' : 'response',
          pointer: v.pointer,
          keyword: v.keyword,
          message: v.message,
        }));
    journal.add({
      at: new Date().toISOString(),
      api: options.api,
      operationId: base.operationId,
      method: req.method,
      path: req.originalUrl,
      status: upstream.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      validation: { request: problems('request'), response: problems('response') },
    });
    if (options.recordDir) {
      const exchange: RecordedExchange = {
        api: options.api,
        operationId: base.operationId,
        method: req.method,
        url: req.originalUrl,
        requestHeaders: headers,
        requestBody: raw.toString('utf8'),
        status: upstream.status,
        headers: answerHeaders,
        body: answer.toString('base64'),
      };
      recorded++;
      writeFileSync(
        join(options.recordDir, `${options.api}-${String(recorded).padStart(6, '0')}.json`),
        JSON.stringify(exchange, null, 2),
      );
    }
  });
  return { app, violations, journal };
}
