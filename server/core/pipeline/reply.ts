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

/**
 * Sends the reply; returns what was sent (the JSON text, or the Buffer as is). The status and the headers of a
 * reply with a body go in one writeHead, its length with them: node:http then builds the head from them alone,
 * without the header object each setHeader fills and checks (most replies have no other header).
 */
export function send(res: ServerResponse, reply: Reply, defaultContentType: string): string | Buffer | undefined {
  if (reply.headers) for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.body === undefined) {
    res.statusCode = reply.status;
    res.end();
    return undefined;
  }
  const payload = Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? defaultContentType,
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
  return payload;
}
