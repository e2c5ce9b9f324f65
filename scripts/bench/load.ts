/** Load with autocannon and the statistics the report uses. */
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sent to this many sandboxes in turn (X-Standin-Sandbox: the header's value, then -0, -1...), not to one. */
  sandboxes?: number;
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

export async function load(
  request: LoadRequest,
  options: { connections: number; duration?: number; amount?: number; server?: { cpuSeconds(): number } },
): Promise<LoadResult> {
  const cpuBefore = options.server?.cpuSeconds() ?? NaN;
  const started = performance.now();
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
    rps: result.requests.total / ((performance.now() - started) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
    cpuUs: options.server
      ? Math.round(((options.server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests.total))
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
