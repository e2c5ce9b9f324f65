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

/** Sends the reply; returns what was sent (the JSON text, or the Buffer as is). */
export function send(
  res: ServerResponse,
  reply: Reply,
  defaultContentType: string,
  payload = payloadOf(reply),
): string | Buffer | undefined {
  res.statusCode = reply.status;
  if (reply.headers) for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (payload === undefined) {
    res.end();
    return undefined;
  }
  res.setHeader('Content-Type', reply.contentType ?? defaultContentType);
  res.end(payload);
  return payload;
}
