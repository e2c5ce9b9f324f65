import type { Operation } from '../contract/load.ts';
import { toProblems, type OperationValidators, type Problem } from './compile.ts';
import { capProblems } from './problems.ts';

export interface RawRequest {
  rawParams: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | undefined;
  rawBody: Buffer | undefined;
}

export interface ValidatedRequest {
  /** The first problems found (see capProblems); empty when the request is valid. */
  problems: Problem[];
  /** How many more problems were found than `problems` lists. */
  omittedProblems: number;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
}

/** `application/vnd.api+json; charset=utf-8` → `application/vnd.api+json` */
export function mediaTypeEssence(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function mediaTypeMatches(declared: string, actual: string): boolean {
  if (declared === '*/*' || declared === actual) return true;
  return declared.endsWith('/*') && actual.startsWith(declared.slice(0, -1));
}

/**
 * How deep arrays and objects may nest in a JSON body. Every vendor's bodies nest a dozen levels at most; a body
 * nested thousands deep would be parsed and stored, then overflow the stack wherever it is serialised or walked.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** Whether JSON text nests arrays and objects deeper than `limit`: one pass over the bytes, before any parsing. */
export function nestsDeeperThan(json: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth--;
  }
  return false;
}

const isInfinite = (n: unknown) => typeof n === 'number' && !Number.isFinite(n);

/** Checks a request against the operation's compiled validators: coerces parameters, parses and checks the body. */
export function validateRequest(op: Operation, validators: OperationValidators, raw: RawRequest): ValidatedRequest {
  const problems: Problem[] = [];
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw.rawParams)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      problems.push({ in: 'path', pointer: `/${name}`, keyword: 'encoding', message: 'is not valid percent-encoding' });
    }
  }
  const query: Record<string, unknown> = { ...raw.query };
  const headers: Record<string, unknown> = {};
  for (const p of op.parameters)
    if (p.in === 'header' && raw.headers[p.name] !== undefined) headers[p.name] = raw.headers[p.name];
  for (const [location, value] of [
    ['path', params],
    ['query', query],
    ['header', headers],
  ] as const) {
    const validate = validators.params[location];
    if (validate && !validate(value)) for (const p of toProblems(location, validate.errors)) problems.push(p);
    // Ajv coerces "1e309" to Infinity and takes it for an integer: no parameter may be infinite.
    for (const [name, v] of Object.entries(value))
      if (Array.isArray(v) ? v.some(isInfinite) : isInfinite(v))
        problems.push({ in: location, pointer: `/${name}`, keyword: 'type', message: 'must be a finite number' });
  }

  let body: unknown;
  const declared = op.requestBody;
  if (declared) {
    if (!raw.rawBody) {
      if (declared.required)
        problems.push({ in: 'body', pointer: '', keyword: 'required', message: 'a request body is required' });
    } else {
      const actual = raw.contentType ? mediaTypeEssence(raw.contentType) : '';
      const mediaType = Object.keys(declared.content).find((type) => mediaTypeMatches(type.toLowerCase(), actual));
      if (mediaType === undefined) {
        problems.push({
          in: 'content-type',
          pointer: '',
          keyword: 'mediaType',
          message: `Content-Type ${actual ? `'${actual}'` : '(none)'} is not supported; use ${Object.keys(declared.content).join(' or ')}`,
        });
      } else {
        const validate = validators.body.get(mediaType);
        if (validate && nestsDeeperThan(raw.rawBody, MAX_JSON_DEPTH)) {
          problems.push({
            in: 'body',
            pointer: '',
            keyword: 'maxDepth',
            message: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
          });
        } else if (validate) {
          try {
            body = JSON.parse(raw.rawBody.toString('utf8'));
          } catch (error) {
            problems.push({
              in: 'body',
              pointer: '',
              keyword: 'json',
              message: `is not valid JSON: ${(error as Error).message}`,
            });
          }
          // (Not a spread: a list of 130,000 bad items has more problems than a call takes arguments.)
          if (body !== undefined && !validate(body))
            for (const p of toProblems('body', validate.errors)) problems.push(p);
        } else {
          body = raw.rawBody;
        }
      }
    }
  }
  const capped = capProblems(problems);
  return { problems: capped.problems, omittedProblems: capped.omitted, params, query, headers, body };
}
