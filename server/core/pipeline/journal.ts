/** The journal stage: what the sandbox's journal keeps of a request once it is answered. */
import type { Operation } from '../contract/load.ts';
import type { Reply } from '../plugin.ts';
import type { OutgoingHttpHeaders } from 'node:http';
import {
  HeaderList,
  type JournalEntry,
  type KeptBody,
  keptBytes,
  keptRequestBody,
  keptText,
} from '../sandbox/journal.ts';
import type { Sandbox } from '../sandbox/store.ts';
import type { CappedProblems } from '../validator/problems.ts';
import type { InjectedFault } from './fault.ts';

/** A request as the stages left it. */
export interface Answered {
  api: string;
  method: string;
  url: string;
  /** performance.now() when the request reached its pipeline. */
  started: number;
  operation?: Operation;
  fault?: InjectedFault;
  request: CappedProblems;
  response: CappedProblems;
  rawBody: Buffer | undefined;
  /** The request's headers as received (node's rawHeaders: name, value, name, value…). */
  rawHeaders: string[];
  reply: Reply;
  /** The response's headers as sent (res.getHeaders()). */
  responseHeaders: OutgoingHttpHeaders;
  /** What was sent (send's result): the journal keeps that text, not a second serialisation of the body. */
  sent: string | Buffer | undefined;
}

/** A request as the request log tells it: one line, no bodies. */
export interface RequestEvent {
  /** Undefined when the request was refused before its sandbox was known (a bad X-Standin-Sandbox). */
  sandbox: string | undefined;
  api: string;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  durationMs: number;
  /** What broke the contract: the request's problems (the client's), the response's (Standin's). */
  violations?: { request: string[]; response: string[] };
}

const durationOf = (a: Answered) => Math.round((performance.now() - a.started) * 100) / 100;

export function requestEvent(sandbox: string | undefined, a: Answered): RequestEvent {
  const problems = (found: CappedProblems) => found.problems.map((p) => `${p.in} ${p.pointer || '/'}: ${p.message}`);
  const violated = a.request.problems.length > 0 || a.response.problems.length > 0;
  return {
    sandbox,
    api: a.api,
    method: a.method,
    path: a.url,
    operationId: a.operation?.operationId ?? null,
    status: a.fault?.marker.reset ? 0 : a.reply.status,
    durationMs: durationOf(a),
    ...(violated && { violations: { request: problems(a.request), response: problems(a.response) } }),
  };
}

/** What the journal keeps of the response body: the JSON text sent, or the bytes sent (a PDF). */
function responseBodyOf(a: Answered, contentType: string | undefined): KeptBody | undefined {
  if (typeof a.sent === 'string') return keptText(a.sent, contentType, true);
  if (Buffer.isBuffer(a.sent)) return keptBytes(a.sent, contentType);
  return undefined;
}

export function journalEntry(sandbox: Sandbox, a: Answered): Omit<JournalEntry, 'seq'> {
  const omitted = a.request.omitted || a.response.omitted;
  const requestHeaders = HeaderList.fromRaw(a.rawHeaders);
  const responseHeaders = HeaderList.fromOutgoing(a.responseHeaders);
  const request = a.rawBody ? keptRequestBody(a.rawBody, requestHeaders.get('content-type')) : undefined;
  const contentType = a.responseHeaders['content-type'];
  const response = responseBodyOf(a, contentType === undefined ? undefined : String(contentType));
  return {
    at: sandbox.now().toISOString(),
    api: a.api,
    operationId: a.operation?.operationId ?? null,
    method: a.method,
    path: a.url,
    status: a.fault?.marker.reset ? 0 : a.reply.status,
    ...(a.fault && { fault: a.fault.marker }),
    durationMs: durationOf(a),
    validation: {
      request: a.request.problems,
      response: a.response.problems,
      ...(omitted && { omitted: { request: a.request.omitted, response: a.response.omitted } }),
    },
    requestHeaders,
    responseHeaders,
    requestBody: request?.body,
    responseBody: response?.body,
    ...((request || response) && {
      bodies: { ...(request && { request: request.note }), ...(response && { response: response.note }) },
    }),
  };
}
