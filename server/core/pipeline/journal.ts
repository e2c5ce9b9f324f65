/** The journal stage: what the sandbox's journal keeps of a request once it is answered. */
import type { Operation } from '../contract/load.ts';
import type { Reply } from '../plugin.ts';
import { jsonText } from '../json-text.ts';
import { clockNow } from '../sandbox/clock.ts';
import { entryBytes, HeaderList, type KeptBody, keptBytes, keptRequestBody, keptText } from '../sandbox/journal.ts';
import type { Sandbox } from '../sandbox/store.ts';
import type { CappedProblems } from '../validator/problems.ts';
import type { InjectedFault } from './fault.ts';
import type { Payload, Sent } from './reply.ts';

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
  /** What was sent (send's result): the journal keeps its copy at rest or its text, never serialises it again. */
  sent: Sent;
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

/**
 * The response body an entry will keep, made when the entry is (so, the first time it is read), and how many
 * characters the entry counts for it until then. JSON is held as its copy at rest when the reply has one (a few
 * objects, where the text is one more string of the reply's size for every request to carry through the garbage
 * collector), else as its text; bytes too many to keep (a PDF over 256 KB) are let go at once.
 */
function keptResponse(sent: Payload | undefined, contentType: string | undefined): ResponseToKeep {
  if (sent === undefined) return { chars: 0, made: () => undefined };
  const { wire, atRest } = sent;
  if (Buffer.isBuffer(wire)) {
    const bytes = keptBytes(wire, contentType);
    return { chars: bytes.note.notKept ? 0 : wire.length, made: () => bytes };
  }
  return {
    chars: wire.length,
    made: atRest ? madeFromCopy(atRest.copy, contentType) : madeFromText(wire, contentType),
  };
}

interface ResponseToKeep {
  chars: number;
  made: () => KeptBody | undefined;
}

// Each in a function of its own: a function's closures keep all it holds that any of them uses.
const madeFromText = (text: string, contentType: string | undefined) => () => keptText(text, contentType, true);
const madeFromCopy = (copy: unknown, contentType: string | undefined) => () =>
  keptText(jsonText(copy), contentType, true);

/**
 * Journals an answered request: what the entry will take now, the entry itself when the journal is first read (most
 * never are), so that journaling costs a request little. Until then the entry holds its bodies as received and sent
 * (keptResponse), uncut (cutting a long text makes it flat: a third of a 30-price list's CPU), and counts them whole.
 */
export function journalAnswered(sandbox: Sandbox, a: Answered): void {
  const realNow = Date.now();
  const { clock } = sandbox.state;
  const durationMs = durationOf(a);
  const { api, method, url, rawBody, fault } = a;
  const sent = a.sent.payload;
  const omitted = a.request.omitted || a.response.omitted;
  const validation = {
    request: a.request.problems,
    response: a.response.problems,
    ...(omitted && { omitted: { request: a.request.omitted, response: a.response.omitted } }),
  };
  const requestHeaders = HeaderList.fromRaw(a.rawHeaders);
  const responseHeaders = HeaderList.fromRaw(a.sent.headers);
  const status = fault?.marker.reset ? 0 : a.reply.status;
  const operationId = a.operation?.operationId ?? null;
  const response = keptResponse(sent, responseHeaders.get('content-type'));
  const bytes = entryBytes({
    path: url,
    headerChars: requestHeaders.chars + responseHeaders.chars,
    bodyChars: (rawBody?.length ?? 0) + response.chars,
    validation,
  });
  sandbox.journal.record(bytes, () => {
    const request = rawBody ? keptRequestBody(rawBody, requestHeaders.get('content-type')) : undefined;
    const responseBody = response.made();
    return {
      at: clockNow(clock, realNow).toISOString(),
      api,
      operationId,
      method,
      path: url,
      status,
      ...(fault && { fault: fault.marker }),
      durationMs,
      validation,
      requestHeaders,
      responseHeaders,
      requestBody: request?.body,
      responseBody: responseBody?.body,
      ...((request || responseBody) && {
        bodies: {
          ...(request && { request: request.note }),
          ...(responseBody && { response: responseBody.note }),
        },
      }),
    };
  });
}
