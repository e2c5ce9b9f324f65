/** The journal stage: what the sandbox's journal keeps of a request once it is answered. */
import type { Operation } from '../contract/load.ts';
import type { Reply } from '../plugin.ts';
import { journalBody, journalJson, type JournalEntry } from '../sandbox/journal.ts';
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
  reply: Reply;
  /** What was sent (send's result): the journal keeps that text, not a second serialisation of the body. */
  sent: string | Buffer | undefined;
}

export function journalEntry(sandbox: Sandbox, a: Answered): Omit<JournalEntry, 'seq'> {
  const omitted = a.request.omitted || a.response.omitted;
  return {
    at: sandbox.now().toISOString(),
    api: a.api,
    operationId: a.operation?.operationId ?? null,
    method: a.method,
    path: a.url,
    status: a.fault?.marker.reset ? 0 : a.reply.status,
    ...(a.fault && { fault: a.fault.marker }),
    durationMs: Math.round((performance.now() - a.started) * 100) / 100,
    validation: {
      request: a.request.problems,
      response: a.response.problems,
      ...(omitted && { omitted: { request: a.request.omitted, response: a.response.omitted } }),
    },
    requestBody: a.rawBody ? journalBody(a.rawBody.toString('utf8')) : undefined,
    responseBody: typeof a.sent === 'string' ? journalJson(a.sent) : journalBody(a.reply.body),
  };
}
