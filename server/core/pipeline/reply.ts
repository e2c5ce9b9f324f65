/** Replies on the wire: an error as its reply, and a reply sent on a node:http response. */
import type { ServerResponse } from 'node:http';
import { coreErrors } from '../errors.ts';
import { ApiError, type ErrorFormat, type Reply } from '../plugin.ts';

/** The vendor-format error for anything thrown: an ApiError as is, anything else a 500 (a bug in Standin, logged). */
export function apiErrorOf(error: unknown, errors: ErrorFormat): ApiError {
  if (error instanceof ApiError) return error;
  console.error('standin: internal error', error);
  return coreErrors.internal(errors, error);
}

export function replyOf(error: ApiError): Reply {
  return { status: error.status, body: error.body, headers: error.headers, contentType: error.contentType };
}

/** Sends the reply; returns what was sent (the JSON text, or the Buffer as is). */
export function send(res: ServerResponse, reply: Reply, defaultContentType: string): string | Buffer | undefined {
  res.statusCode = reply.status;
  if (reply.headers) for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.body === undefined) {
    res.end();
    return undefined;
  }
  res.setHeader('Content-Type', reply.contentType ?? defaultContentType);
  const payload = Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  res.end(payload);
  return payload;
}
