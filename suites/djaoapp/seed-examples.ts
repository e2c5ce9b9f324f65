import { expect } from 'vitest';
import { maskIdsAndTimes } from '../support/mask.ts';
import type { ApiResponse, ConformanceTarget } from '../support/target.ts';
import examples from './seed-examples.json' with { type: 'json' };

/** One example of seed 001 (extracted to seed-examples.json): the operation, the request line and body, the answer. */
interface SeedExample {
  operation: string;
  request?: { line: string; body?: any };
  response?: any;
}

const seedExamples = examples as SeedExample[];

/** The (first) seed example of an operation. */
export function seedExample(operation: string): SeedExample {
  const found = seedExamples.find((e) => e.operation === operation);
  if (!found) throw new Error(`no seed example for ${operation}`);
  return found;
}

/** The seed's query string, e.g. start_at=2015-07-05T07:00:00.000Z&o=date&ot=desc, as `t.call` query values. */
function seedQuery(operation: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(seedExample(operation).request!.line.split(' ')[1]!, 'http://seed').searchParams)
    query[key] = key === 'o' ? [value] : value;
  return query;
}

/** Sends seed example `operation`'s query and body to the operation, with the path parameters given; the answer. */
export function sendExample(
  t: ConformanceTarget,
  operationId: string,
  operation: string,
  headers: Record<string, string>,
  params?: Record<string, string>,
): Promise<ApiResponse> {
  return t.call(operationId, {
    params,
    query: seedQuery(operation),
    headers,
    body: seedExample(operation).request!.body,
  });
}

/** `value` without the fields named (dot paths; `[]` walks every item of a list): what a seed example contradicts. */
export function withoutFields(value: any, paths: string[]): any {
  const copy = structuredClone(value);
  for (const path of paths) {
    const drop = (node: any, keys: string[]): void => {
      if (node === null || typeof node !== 'object') return;
      const [key, ...rest] = keys;
      if (key === '[]') return void (Array.isArray(node) ? node.forEach((item) => drop(item, rest)) : undefined);
      if (!rest.length) delete node[key!];
      else drop(node[key!], rest);
    };
    drop(copy, path.split('.'));
  }
  return copy;
}

/** Masks ids, timestamps, URL origins and generated keys (grant, request and processor keys are random). */
export function maskedKeys(value: unknown): any {
  const walk = (v: any): any =>
    Array.isArray(v)
      ? v.map(walk)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, /_key$/.test(k) && typeof x === 'string' ? '<key>' : walk(x)]),
          )
        : v;
  return walk(maskIdsAndTimes(value));
}

/** The seed's answer (minus the contradicted fields) all appears, with its values, in the answer, keys and times masked. */
export function expectSeed(actual: unknown, operation: string, contradicted: string[] = []): void {
  expect(maskedKeys(actual)).toMatchObject(maskedKeys(withoutFields(seedExample(operation).response, contradicted)));
}

/** A request of a seed example: the operation, who sends it, the status it answers, what of the seed's answer holds. */
export interface SeedRequest<Who extends string> {
  /** The seed example, "METHOD /path": its answer is compared, its request body sent (with `sendsBody`). */
  example: string;
  operationId: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Who sends it; nobody signed in when absent. */
  as?: Who;
  sendsBody?: boolean;
  status: number;
  /** Fields of the seed's answer that its other examples contradict (left out of the check). */
  contradicted?: string[];
}

/** Sends a seed example's request with the sender's headers and expects its status; the answer. */
export async function sendSeedRequest(
  t: ConformanceTarget,
  request: SeedRequest<string>,
  headers: Record<string, string> | undefined,
): Promise<ApiResponse> {
  const { example, operationId, params, query, sendsBody, status } = request;
  const body = sendsBody ? seedExample(example).request!.body : undefined;
  const res = await t.call(operationId, { params, query, headers, body });
  expect(res.status).toBe(status);
  return res;
}
