/** Replies on the wire: an error as its reply, and a reply sent on a node:http response. */
import type { ServerResponse } from 'node:http';
import { coreErrors } from '../errors.ts';
import { jsonText } from '../json-text.ts';
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

/** What a reply's body is on the wire: its JSON text, or the Buffer as is. */
export function payloadOf(reply: Reply): string | Buffer | undefined {
  if (reply.body === undefined || Buffer.isBuffer(reply.body)) return reply.body;
  return jsonText(reply.body);
}

/** What a reply put on the wire: its body (the JSON text, or the Buffer as is) and its headers (name, value, …). */
export interface Sent {
  payload: string | Buffer | undefined;
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
  res.end(payload);
  return { payload, headers: setBefore ? headerList(res.getHeaders()) : headers };
}
