/** Load with autocannon and the statistics the report uses. */
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sent to this many sandboxes in turn (X-Standin-Sandbox: the header's value, then -0, -1...), not to one. */
  sandboxes?: number;
  /**
   * The server closes the connection after each answer (HAProxy in deploy/haproxy.cfg): a new connection per request,
   * as a client does (loadClosing). autocannon writes the next request on the closed connection and counts the
   * answers against the wrong requests; its reconnectRate drops the answers.
   */
  closesConnections?: boolean;
}

/** autocannon's requests, when `request` spreads over sandboxes: each request names the next one. */
function spread(request: LoadRequest) {
  if (!request.sandboxes) return {};
  const prefix = request.headers?.['X-Standin-Sandbox'] ?? 'spread';
  const count = request.sandboxes;
  let next = 0;
  const setupRequest = (r: { headers?: Record<string, string> }) => ({
    ...r,
    headers: { ...r.headers, 'X-Standin-Sandbox': `${prefix}-${next++ % count}` },
  });
  return { requests: [{ setupRequest }] };
}

export interface LoadResult {
  /** Requests per second. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Errors, timeouts and answers outside 2xx: any is a failed measurement. */
  failures: number;
  /** CPU time the server spent per request, in microseconds (steadier than req/s on a shared machine). */
  cpuUs?: number;
}

interface LoadOptions {
  connections: number;
  duration?: number;
  amount?: number;
  server?: { cpuSeconds(): number };
}

/** What a load run counted: requests answered, latency percentiles (ms), failures. */
interface Counted {
  requests: number;
  p50: number;
  p99: number;
  failures: number;
}

async function loadAutocannon(request: LoadRequest, options: LoadOptions): Promise<Counted> {
  const result = await autocannon({
    url: request.url,
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    ...spread(request),
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 3 }),
    timeout: 30,
  });
  return {
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** One request on a new connection: its status (0 when it failed). */
function requestOnce(request: LoadRequest, sandbox: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const headers = sandbox ? { ...request.headers, 'X-Standin-Sandbox': sandbox } : request.headers;
    const req = httpRequest(request.url, { method: request.method ?? 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.once('error', () => resolve(0));
    req.end(request.body);
  });
}

/** `connections` clients, each sending its next request on a new connection once the last is answered. */
async function loadClosing(request: LoadRequest, options: LoadOptions): Promise<Counted> {
  const prefix = request.headers?.['X-Standin-Sandbox'] ?? 'spread';
  const until = performance.now() + (options.duration ?? 3) * 1000;
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  const more = () => (options.amount ? sent < options.amount : performance.now() < until);
  const client = async () => {
    while (more()) {
      const n = sent++;
      const started = performance.now();
      const status = await requestOnce(request, request.sandboxes ? `${prefix}-${n % request.sandboxes}` : undefined);
      latencies.push(performance.now() - started);
      if (status < 200 || status > 299) failures++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN);
  return { requests: latencies.length, p50: percentile(0.5), p99: percentile(0.99), failures };
}

export async function load(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = options.server?.cpuSeconds() ?? NaN;
  const started = performance.now();
  const result = await (request.closesConnections ? loadClosing : loadAutocannon)(request, options);
  return {
    ...result,
    rps: result.requests / ((performance.now() - started) / 1000),
    cpuUs: options.server
      ? Math.round(((options.server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests))
      : undefined,
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each figure over rounds (each figure separately), failures summed. */
export function medianOf(rounds: LoadResult[]): LoadResult & { rounds: number } {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    cpuUs: median(rounds.map((r) => r.cpuUs ?? NaN)),
    rounds: rounds.length,
  };
}
