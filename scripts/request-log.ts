/**
 * The request log of `standin serve`: one line per request an API answered, for a CI run to read afterwards.
 * On a terminal a coloured line and each contract violation under it; elsewhere (or --log json) JSON lines.
 */
import type { RequestEvent } from '../server/core/pipeline/index.ts';
import { formatMs, paint } from './cli-output.ts';
import type { LogFormat } from './serve-options.ts';

/** The format asked for, else pretty on a terminal and JSON lines anywhere else. */
export function logFormat(given: LogFormat | undefined, stream: NodeJS.WriteStream): LogFormat {
  return given ?? (stream.isTTY ? 'pretty' : 'json');
}

export function jsonLine(event: RequestEvent, at = new Date()): string {
  return JSON.stringify({ time: at.toISOString(), ...event });
}

const statusColour = (status: number) => (status >= 500 || status === 0 ? 'red' : status >= 400 ? 'yellow' : 'green');

/** `12:00:01  default  GET /productive/api/v2/prices  listPrices  200  3 ms`, then one line per violation. */
export function prettyLines(event: RequestEvent, stream: NodeJS.WriteStream, at = new Date()): string {
  const head = [
    paint('dim', at.toISOString().slice(11, 19), stream),
    event.sandbox ?? '-',
    `${event.method} ${event.path}`,
    event.operationId ?? '-',
    paint(statusColour(event.status), String(event.status), stream),
    paint('dim', formatMs(event.durationMs), stream),
  ].join('  ');
  const violations = [
    ...(event.violations?.request ?? []).map(
      (problem) => `    ${paint('yellow', 'request breaks the contract:', stream)} ${problem}`,
    ),
    ...(event.violations?.response ?? []).map(
      (problem) => `    ${paint('red', 'response breaks the contract:', stream)} ${problem}`,
    ),
  ];
  return [head, ...violations].join('\n');
}

/** The onRequest listener that writes the log in this format to the stream; none for 'off'. */
export function requestLogger(
  format: LogFormat,
  stream: NodeJS.WriteStream = process.stdout,
): ((event: RequestEvent) => void) | undefined {
  if (format === 'off') return undefined;
  const line =
    format === 'json' ? (event: RequestEvent) => jsonLine(event) : (event: RequestEvent) => prettyLines(event, stream);
  return (event) => stream.write(`${line(event)}\n`);
}
