/** Replies on the wire: an error as its reply, and a reply sent on a node:http response. */
import type { ServerResponse } from 'node:http';
import { coreErrors } from '../errors.ts';
import { copyAtRest, jsonText } from '../json-text.ts';
import { ApiError, type ErrorFormat, type Reply } from '../plugin.ts';
import { SandboxUnavailable } from '../sandbox/store.ts';

/** The vendor-format error for anything thrown: an ApiError as is, a sandbox that cannot be served 503, anything else a 500 (a bug in Standin, logged). */
export function apiErrorOf(error: unknown, errors: ErrorFormat): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SandboxUnavailable)
    return coreErrors['sandbox-unavailable'](errors, error.message, error.retryAfterSeconds);
  console.error('standin: internal error', error);
  return coreErrors.internal(errors, error);
}

export function replyOf(error: ApiError): Reply {
  return { status: error.status, body: error.body, headers: error.headers, contentType: error.contentType };
}

/**
 * A reply's body as sent: `wire`, its JSON text or a Buffer as is (a PDF); for JSON, `atRest`, a copy that nothing
 * can change when one can be made (copyAtRest), which the journal keeps rather than the text.
 */
export interface Payload {
  wire: string | Buffer;
  atRest?: { copy: unknown };
}

export function payloadOf(reply: Reply): Payload | undefined {
  if (reply.body === undefined) return undefined;
  if (Buffer.isBuffer(reply.body)) return { wire: reply.body };
  return { wire: jsonText(reply.body), atRest: copyAtRest(reply.body) };
}

/** What a reply put on the wire: its body and its headers (name, value, …). */
export interface Sent {
  payload: Payload | undefined;
  headers: readonly string[];
}

/** Headers as a response's getHeaders() gives them, listed name, value, … (a header set twice, Set-Cookie, twice). */
function headerList(headers: Record<string, number | string | string[] | undefined>): string[] {
  const list: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) for (const one of value) list.push(name, one);
    else if (value !== undefined) list.push(name, String(value));
  }
  return list;
}

/**
 * Sends the reply in one writeHead: node then writes the headers as listed, without the per-header bookkeeping
 * of setHeader. Headers set before (CORS on the way through express) are kept, and listed in what was sent.
 */
export function send(res: ServerResponse, reply: Reply, defaultContentType: string, payload = payloadOf(reply)): Sent {
  const headers: string[] = [];
  if (reply.headers) for (const name in reply.headers) headers.push(name, reply.headers[name]!);
  if (payload !== undefined) headers.push('Content-Type', reply.contentType ?? defaultContentType);
  const setBefore = res.getHeaderNames().length > 0;
  res.writeHead(reply.status, headers);
  res.end(payload?.wire);
  return { payload, headers: setBefore ? headerList(res.getHeaders()) : headers };
}
