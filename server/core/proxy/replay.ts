/** Record → replay: exchanges the validating proxy saved, answered again by `standin serve --replay <dir>`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

export interface RecordedExchange {
  api: string;
  /** The contract's operation the request routed to (null when none). */
  operationId?: string | null;
  method: string;
  /** Path and query below the API's base URL, as the client sent them. */
  url: string;
  /** The request's headers, as the client sent them. */
  requestHeaders?: Record<string, string>;
  requestBody: string;
  status: number;
  headers: Record<string, string>;
  /** The answer's bytes, base64. */
  body: string;
}

const keyOf = (method: string, url: string, body: string) => `${method.toUpperCase()} ${url}\n${body}`;

/** A recording that cannot be read: the directory is missing, or a file in it is not an exchange. */
export class ReplayError extends Error {}

export function loadRecording(dir: string): RecordedExchange[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (error) {
    throw new ReplayError(
      `cannot read the directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return files.map((f) => {
    let exchange: RecordedExchange;
    try {
      exchange = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordedExchange;
    } catch (error) {
      throw new ReplayError(`${join(dir, f)} is not JSON (${(error as Error).message})`);
    }
    if (!exchange?.api || !exchange.method || !exchange.url || typeof exchange.status !== 'number')
      throw new ReplayError(`${join(dir, f)} is not a recorded exchange`);
    return exchange;
  });
}

/**
 * Answers requests that were recorded, in the order they were recorded (the last answer repeats); anything
 * else goes on to the stateful mock.
 */
export function replayMiddleware(exchanges: RecordedExchange[]) {
  const queues = new Map<string, RecordedExchange[]>();
  for (const e of exchanges) {
    const key = keyOf(e.method, e.url, e.requestBody);
    queues.set(key, [...(queues.get(key) ?? []), e]);
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const queue = queues.get(keyOf(req.method, req.url, body));
    if (!queue) return next();
    const exchange = queue.length > 1 ? queue.shift()! : queue[0]!;
    res.status(exchange.status);
    for (const [k, v] of Object.entries(exchange.headers)) res.setHeader(k, v);
    res.end(Buffer.from(exchange.body, 'base64'));
  };
}
