/**
 * Why a scenario failed against a real backend, in one of four classes: the target does not serve an operation
 * it calls; the difference is noted in the contract (an x-standin-note naming the backend's behaviour); the
 * backend answered 5xx; or unclassified (a finding to look at). Foreign error pages are grouped by kind.
 */
import type { Contract, Operation } from '../server/core/contract/load.ts';
import { resolveLocal } from '../server/core/contract/load.ts';
import type { CallRecord } from '../suites/support/target.ts';
import type { InteractionFailure } from '../suites/pact/support.ts';
import type { ScenarioResult } from './verify-reporter.ts';
import { blankPaths } from './target-profile.ts';

export interface ContractNote {
  /** Where the note sits: `operation`, `response 403`, `schema Plan`, `property organization`. */
  where: string;
  /** The property the note is written on, when it is on one. */
  field?: string;
  text: string;
}

/**
 * A note accepts a difference with a sentence that names the backend by its release (`djaodjin-saas 0.11.0: …`)
 * or as "the backend", and says what it answers. Naming the vendor alone ("as djaodjin does") describes what the
 * contract models, not a difference. The sentences that name the backend are quoted in the report.
 */
const BACKEND = /\bbackends?\b|\b\d+\.\d+\.\d+\b/i;

export const namesBackend = (text: string): boolean => BACKEND.test(text);

/** The sentences of a note that name the backend. */
export function backendSentences(text: string): string {
  const sentences = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.;])\s+/);
  return sentences.filter((s) => namesBackend(s)).join(' ');
}

type Node = Record<string, unknown>;

/** Every x-standin-note under a schema (its properties, items and combinations, $refs followed once). */
function schemaNotes(
  document: object,
  schema: unknown,
  where: string,
  seen: Set<unknown>,
  notes: ContractNote[],
  field?: string,
): void {
  if (!schema || typeof schema !== 'object') return;
  const ref = (schema as { $ref?: string }).$ref;
  const node = resolveLocal<Node>(document, schema as Node);
  if (seen.has(node)) return;
  seen.add(node);
  const name = ref ? `schema ${ref.split('/').pop()}` : where;
  const note = node['x-standin-note'];
  if (typeof note === 'string')
    notes.push(field ? { where: `property ${field}`, field, text: note } : { where: name, text: note });
  for (const [key, value] of Object.entries((node.properties as Record<string, unknown>) ?? {}))
    schemaNotes(document, value, name, seen, notes, key);
  for (const key of ['items', 'additionalProperties']) schemaNotes(document, node[key], name, seen, notes, field);
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    for (const member of (node[key] as unknown[]) ?? []) schemaNotes(document, member, name, seen, notes, field);
}

/** The notes that speak for an operation: on it, its path, its security schemes, its responses, and the schemas its bodies use. */
export function notesOf(contract: Contract, operation: Operation): ContractNote[] {
  const document = contract.document;
  const notes: ContractNote[] = [];
  const pathItem = (document.paths?.[operation.path] ?? {}) as Node;
  if (typeof pathItem['x-standin-note'] === 'string') notes.push({ where: 'path', text: pathItem['x-standin-note'] });
  const spec = operation.spec as Node;
  if (typeof spec['x-standin-note'] === 'string') notes.push({ where: 'operation', text: spec['x-standin-note'] });
  const seen = new Set<unknown>();
  for (const parameter of [...((pathItem.parameters as unknown[]) ?? []), ...((spec.parameters as unknown[]) ?? [])]) {
    const resolved = resolveLocal<Node>(document, parameter as Node);
    if (typeof resolved['x-standin-note'] === 'string')
      notes.push({ where: `parameter ${String(resolved.name)}`, text: resolved['x-standin-note'] });
  }
  const schemes = (document.components?.securitySchemes ?? {}) as Record<string, Node>;
  for (const name of operation.security) {
    const note = schemes[name]?.['x-standin-note'];
    if (typeof note === 'string') notes.push({ where: `security scheme ${name}`, text: note });
  }
  const body = spec.requestBody ? resolveLocal<Node>(document, spec.requestBody as Node) : undefined;
  for (const media of Object.values((body?.content as Record<string, Node>) ?? {}))
    schemaNotes(document, media.schema, 'request body', seen, notes);
  const responses = (spec.responses as Record<string, Node>) ?? {};
  if (typeof responses['x-standin-note'] === 'string')
    notes.push({ where: 'responses', text: responses['x-standin-note'] });
  for (const [status, response] of Object.entries(responses)) {
    if (status.startsWith('x-')) continue;
    const resolved = resolveLocal<Node>(document, response);
    if (typeof resolved['x-standin-note'] === 'string')
      notes.push({ where: `response ${status}`, text: resolved['x-standin-note'] });
    for (const media of Object.values((resolved.content as Record<string, Node>) ?? {}))
      schemaNotes(document, media.schema, `response ${status}`, seen, notes);
  }
  return notes;
}

const mentions = (text: string, word: string) =>
  new RegExp(`(^|[^\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(text);

/**
 * The first note of the operation whose sentences naming the backend also name the status or the field that
 * differs (a note on a property names its field by where it sits).
 */
export function noteFor(
  notes: ContractNote[],
  difference: { status?: number; field?: string },
): ContractNote | undefined {
  return notes.find((n) => {
    if (!namesBackend(n.text)) return false;
    const said = backendSentences(n.text);
    if (difference.field !== undefined) return n.field === difference.field || mentions(said, difference.field);
    return difference.status !== undefined && mentions(said, String(difference.status));
  });
}

export type FailureClass = 'not-served' | 'noted' | 'backend-5xx' | 'unclassified';

export interface ClassifiedFailure {
  file: string;
  name: string;
  class: FailureClass;
  /** One line: which operation is not served, which note accepts the difference, which call answered 5xx, or the error. */
  why: string;
  operationId?: string;
}

/** The last field of a JSON pointer (`/results/0/organization` → organization). */
export const fieldOf = (pointer: string): string | undefined =>
  pointer
    .split('/')
    .filter((p) => p && !/^\d+$/.test(p))
    .pop();

export interface Classifier {
  notServed: Map<string, string>;
  notesOf: (operationId: string) => ContractNote[];
}

interface Difference {
  operationId: string;
  status?: number;
  field?: string;
  what: string;
}

/**
 * An expectation on a value the scenario read (`expected [ 'token is invalid' ] to deeply equal { token: … }`), not
 * a contract check (those are the calls' violations): it is about the last answer, whose status a note names.
 */
const isValueMismatch = (error: string): boolean =>
  !error.includes('must match the contract') &&
  /\bexpected\b[\s\S]*\bto (?:deeply equal|equal|match object|have a length|be|contain)\b/.test(error);

/**
 * What differed in a failed scenario: its calls' contract violations, the statuses its errors name, a field its
 * errors find missing (`to have property "read_terms"`) or a value they find different, which are about the last
 * answer the scenario read.
 */
function differences(test: ScenarioResult, calls: CallRecord[]): Difference[] {
  const found: Difference[] = [];
  for (const call of calls)
    for (const p of call.contract)
      found.push({
        operationId: call.operationId,
        // A violation in the body is about its field; one of the whole answer (status, media type) about its status.
        ...(fieldOf(p.pointer) ? { field: fieldOf(p.pointer) } : { status: call.status }),
        what: `${call.operationId} → ${call.status} ${p.pointer || '/'} [${p.keyword}]`,
      });
  for (const error of test.errors) {
    const status = /^expected (\d{3}) to (?:be|equal) (\d{3})/.exec(error);
    if (status) {
      const answered = Number(status[1]);
      const call = [...calls].reverse().find((c) => c.status === answered);
      if (call)
        found.push({
          operationId: call.operationId,
          status: answered,
          what: `${call.operationId} answered ${answered}, the scenario expects ${status[2]}`,
        });
    }
    const missing = /to have property "([^"]+)"/.exec(error)?.[1];
    const last = calls.at(-1);
    if (missing && last)
      found.push({
        operationId: last.operationId,
        field: fieldOf(missing.replace(/\./g, '/')),
        what: `${last.operationId} → ${last.status} without ${missing}`,
      });
    else if (!status && last && isValueMismatch(error))
      found.push({
        operationId: last.operationId,
        status: last.status,
        what: `${last.operationId} → ${last.status} with another body: ${error.split('\n')[0]!.slice(0, 160)}`,
      });
  }
  return found;
}

export function classifyFailure(test: ScenarioResult, calls: CallRecord[], classifier: Classifier): ClassifiedFailure {
  const base = { file: test.file, name: test.name };
  // Setup that goes around t.call (a login, a registration) names its operation in its error message.
  const named = test.errors.flatMap((e) => e.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? []);
  const unserved = [...calls.map((c) => c.operationId), ...named].find((id) => classifier.notServed.has(id));
  if (unserved)
    return { ...base, class: 'not-served', operationId: unserved, why: `${unserved} is not served by this target` };
  const crashed = calls.find((c) => c.status >= 500);
  if (crashed)
    return {
      ...base,
      class: 'backend-5xx',
      operationId: crashed.operationId,
      why: `${crashed.operationId} ${crashed.method} ${crashed.path} answered ${crashed.status}`,
    };
  const error5xx = test.errors.map((e) => /^(?:.*: )?expected (5\d\d) to (?:be|equal) \d{3}/.exec(e)).find(Boolean);
  if (error5xx) return { ...base, class: 'backend-5xx', why: test.errors[0]! };
  const found = differences(test, calls);
  const explained = found.map((d) => ({ d, note: noteFor(classifier.notesOf(d.operationId), d) }));
  if (found.length && explained.every((e) => e.note)) {
    const first = explained[0]!;
    return {
      ...base,
      class: 'noted',
      operationId: first.d.operationId,
      why: `${first.d.what}: noted (${first.note!.where}): ${backendSentences(first.note!.text)}`,
    };
  }
  const open = explained.find((e) => !e.note);
  const page =
    open && calls.find((c) => c.operationId === open.d.operationId && c.page && c.status === open.d.status)?.page;
  const answered = page ? ` (${page.mediaType}${page.title ? ` "${blankPaths(page.title)}"` : ''})` : '';
  return {
    ...base,
    class: 'unclassified',
    ...(open ? { operationId: open.d.operationId } : {}),
    why: open ? `${open.d.what}${answered}` : (test.errors[0] ?? 'failed without an error message'),
  };
}

/**
 * One interaction a pact's provider verification found different, classified like a call of its operation: not
 * served, a backend 5xx, or every mismatch noted in the contract (by its field, else by the status answered; a
 * status other than the pact's is the one difference).
 */
export function classifyInteraction(
  scenario: ScenarioResult,
  failure: InteractionFailure,
  operationId: string | undefined,
  classifier: Classifier,
): ClassifiedFailure {
  const base = { file: scenario.file, name: `${scenario.name} > ${failure.interaction}` };
  const request = `${failure.method} ${failure.path}`;
  if (!operationId) return { ...base, class: 'unclassified', why: `${request} is no operation of the contract` };
  if (classifier.notServed.has(operationId))
    return { ...base, class: 'not-served', operationId, why: `${operationId} is not served by this target` };
  if (failure.status >= 500)
    return { ...base, class: 'backend-5xx', operationId, why: `${operationId} ${request} answered ${failure.status}` };
  const notes = classifier.notesOf(operationId);
  // Another status than the pact's makes the rest of the answer differ too: the status is the difference.
  const mismatches =
    failure.status === failure.expected
      ? failure.mismatches
      : [{ text: `answered ${failure.status} where the pact expects ${failure.expected}` }];
  const explained = mismatches.map((m) => ({
    m,
    note: noteFor(notes, m.field === undefined ? { status: failure.status } : { field: m.field }),
  }));
  const open = explained.find((e) => !e.note);
  if (explained.length && !open) {
    const first = explained[0]!;
    return {
      ...base,
      class: 'noted',
      operationId,
      why: `${operationId} → ${failure.status} ${first.m.text}: noted (${first.note!.where}): ${backendSentences(first.note!.text)}`,
    };
  }
  return {
    ...base,
    class: 'unclassified',
    operationId,
    why: `${operationId} → ${failure.status} ${open?.m.text ?? 'differs from the pact'}`,
  };
}

/** A kind of foreign error page: the same status, media type and title (paths blanked) wherever it came from. */
export interface ForeignPage {
  status: number;
  mediaType: string;
  title: string;
  calls: number;
  operations: number;
  example: string;
}

/** Error answers that are not JSON (an HTML page from a URL guard, a proxy, DEBUG), once per kind. */
export function foreignPages(calls: CallRecord[]): ForeignPage[] {
  const kinds = new Map<string, { page: ForeignPage; operations: Set<string> }>();
  for (const call of calls) {
    if (!call.page || call.status < 400) continue;
    const title = call.page.title ? blankPaths(call.page.title) : '';
    const key = `${call.status} ${call.page.mediaType} ${title}`;
    const kind = kinds.get(key) ?? {
      page: {
        status: call.status,
        mediaType: call.page.mediaType,
        title,
        calls: 0,
        operations: 0,
        example: `${call.operationId}: ${call.method} ${call.path}`,
      },
      operations: new Set(),
    };
    kind.page.calls++;
    kind.operations.add(call.operationId);
    kind.page.operations = kind.operations.size;
    kinds.set(key, kind);
  }
  return [...kinds.values()].map((k) => k.page).sort((a, b) => b.calls - a.calls);
}
