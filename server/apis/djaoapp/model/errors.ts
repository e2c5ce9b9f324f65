/** Django REST framework error bodies: {"detail": "..."}, {"field": ["message"]}, or a list of messages. */
import { ApiError, type ErrorFormat } from '../../../core/plugin.ts';
import type { Problem } from '../../../core/validator/compile.ts';
import { entryOf, setEntry } from '../../../core/records.ts';

export const JSON_TYPE = 'application/json';

export const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="api"' };

export function detail(status: number, message: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(status, { detail: message }, headers);
}

export const notFound = (): ApiError => detail(404, 'Not found.');
export const forbidden = (message = 'You do not have permission to perform this action.'): ApiError =>
  detail(403, message);
export const unauthenticated = (message = 'Authentication credentials were not provided.'): ApiError =>
  detail(401, message, BEARER_CHALLENGE);

/** 400 {"field": ["message", ...]} (or a plain string where djaodjin writes one). */
export function fieldErrors(
  errors: Record<string, string[] | string | Record<string, unknown>>,
  status = 400,
): ApiError {
  return new ApiError(status, errors);
}

/** 400 ["message"]: what token checks answer. */
export function messages(...list: string[]): ApiError {
  return new ApiError(400, list);
}

/** The wrong password of the caller: an authentication failure on the password field. */
export const incorrectPassword = (): ApiError => new ApiError(401, { password: 'Incorrect password' });

/** What DRF answers for a date-time field it cannot read. */
export const DATETIME_FORMAT_ERROR =
  'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

/** DRF's message for one schema problem. */
export function fieldMessage(problem: Problem): string {
  const m = problem.message;
  switch (problem.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type':
      if (m.includes('integer')) return 'A valid integer is required.';
      if (m.includes('boolean')) return 'Must be a valid boolean.';
      if (m.includes('array')) return 'Expected a list of items.';
      if (m.includes('object')) return 'Invalid data. Expected a dictionary.';
      if (m.includes('null')) return 'This field may not be null.';
      return 'Not a valid string.';
    case 'format':
      if (m.includes('date-time')) return DATETIME_FORMAT_ERROR;
      return m.includes('email') ? 'Enter a valid email address.' : 'Enter a valid value.';
    case 'minLength':
      return 'This field may not be blank.';
    case 'maxLength':
      return `Ensure this field has no more than ${/(\d+)/.exec(m)?.[1] ?? 'the allowed number of'} characters.`;
    case 'enum':
      return `Not a valid choice (${m}).`;
    case 'pattern':
      return 'Enter a valid value.';
    case 'minimum':
    case 'exclusiveMinimum':
      return `Ensure this value is greater than ${problem.keyword === 'minimum' ? 'or equal to ' : ''}${/(-?[\d.]+)/.exec(m)?.[1] ?? 'the minimum'}.`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `Ensure this value is less than ${problem.keyword === 'maximum' ? 'or equal to ' : ''}${/(-?[\d.]+)/.exec(m)?.[1] ?? 'the maximum'}.`;
    case 'minItems': {
      const least = /(\d+)/.exec(m)?.[1];
      return least === '1' ? 'This list may not be empty.' : `Ensure this field has at least ${least} elements.`;
    }
    case 'maxItems':
      return `Ensure this field has no more than ${/(\d+)/.exec(m)?.[1]} elements.`;
    case 'additionalProperties':
      return 'This field is not allowed.';
    default:
      return `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
  }
}

/**
 * The problems of a value checked against alternatives (oneOf: an object, or a list of them) that belong to the
 * alternative it has the shape of. Ajv also reports its summary ("must match exactly one schema in oneOf") and the
 * type every other alternative wanted, which DRF, reading only the shape it was sent, never says. A value of no
 * alternative's shape keeps the first type wanted.
 */
function ofTheShapeSent(problems: Problem[]): Problem[] {
  const alternatives = new Set(problems.filter((p) => p.keyword === 'oneOf').map((p) => p.pointer));
  const firstType = (pointer: string) => problems.find((q) => q.keyword === 'type' && q.pointer === pointer);
  const saysMore = (pointer: string) =>
    problems.some(
      (q) =>
        q.pointer.startsWith(`${pointer}/`) || (q.pointer === pointer && q.keyword !== 'type' && q.keyword !== 'oneOf'),
    );
  return problems.filter((p) => {
    if (!alternatives.has(p.pointer)) return true;
    if (p.keyword === 'oneOf') return false;
    return p.keyword !== 'type' || (!saysMore(p.pointer) && firstType(p.pointer) === p);
  });
}

/** A nested DRF error object or list, as `place` builds it. */
type ErrorNode = Record<string, unknown> | unknown[];

const isErrorNode = (value: unknown): value is ErrorNode => typeof value === 'object' && value !== null;

/** The entry `segment` of a node (an index in a list, which is first padded with empty objects up to it). */
function childOf(node: ErrorNode, segment: string): unknown {
  if (!Array.isArray(node)) return entryOf(node, segment);
  const index = Number(segment);
  while (node.length <= index) node.push({});
  return node[index];
}

function setChild<T>(node: ErrorNode, segment: string, value: T): T {
  if (Array.isArray(node)) node[Number(segment)] = value;
  else setEntry<unknown>(node, segment, value);
  return value;
}

/** Places `message` in a nested DRF error object (or list) following a JSON pointer (`/lines/0/num`). */
function place(target: ErrorNode, segments: string[], message: string): void {
  let node: ErrorNode = target;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(segments[i + 1]!);
    const child = childOf(node, segment);
    if (last) {
      if (!Array.isArray(child)) setChild(node, segment, [message]);
      else if (!child.includes(message)) child.push(message);
    } else {
      node = isErrorNode(child) ? child : setChild<ErrorNode>(node, segment, nextIsIndex ? [] : {});
    }
  });
}

/**
 * Builds the DRF body for body problems: {"email": ["Enter a valid email address."], ...}; for a list body whose items
 * are at fault, one object per item ({} for the items without errors), as DRF's many=True serializer answers.
 */
export function bodyErrors(problems: Problem[]): Record<string, unknown> | Record<string, unknown>[] {
  const located = ofTheShapeSent(problems).map((problem) => ({
    problem,
    segments: problem.pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
  }));
  // DRF's ListSerializer checks a list's length before its items: a list too long or empty is answered alone.
  const length = located.filter(
    ({ problem, segments }) => !segments.length && (problem.keyword === 'maxItems' || problem.keyword === 'minItems'),
  );
  if (length.length) return { non_field_errors: length.map(({ problem }) => fieldMessage(problem)) };
  const perItem = located.length > 0 && located.every(({ segments }) => /^\d+$/.test(segments[0] ?? ''));
  const out: Record<string, unknown> | Record<string, unknown>[] = perItem ? [] : {};
  for (const { problem, segments } of located) {
    if (!segments.length) {
      place(
        out,
        ['non_field_errors'],
        problem.keyword === 'type' ? 'Invalid data. Expected a dictionary.' : fieldMessage(problem),
      );
    } else {
      place(out, segments, fieldMessage(problem));
    }
  }
  return out;
}

export const djaoappErrors: ErrorFormat = {
  invalidRequest(problems) {
    const mediaType = problems.find((p) => p.in === 'content-type');
    if (mediaType) {
      const actual = /'([^']+)'/.exec(mediaType.message)?.[1] ?? '';
      return detail(415, `Unsupported media type "${actual}" in request.`);
    }
    const malformed = problems.find((p) => p.in === 'body' && (p.keyword === 'json' || p.keyword === 'body'));
    if (malformed) return detail(400, `JSON parse error - ${malformed.message.replace(/^is not valid JSON: /, '')}`);
    if (problems.some((p) => p.in === 'path')) return notFound();
    if (problems.some((p) => p.in === 'query' && p.pointer === '/page')) return detail(404, 'Invalid page.');
    const missingBody = problems.find((p) => p.in === 'body' && p.pointer === '' && p.keyword === 'required');
    if (missingBody) return detail(400, 'A request body is required.');
    const params = problems.filter((p) => p.in === 'query' || p.in === 'header');
    if (params.length) return new ApiError(400, bodyErrors(params));
    return new ApiError(400, bodyErrors(problems));
  },
  notFound(method, _path, allowed) {
    if (allowed) return detail(405, `Method "${method.toUpperCase()}" not allowed.`, { Allow: allowed.join(', ') });
    return notFound();
  },
  payloadTooLarge(limit) {
    return detail(413, `Request body exceeded the ${limit} bytes allowed.`);
  },
  fault(status, message) {
    return detail(status, message);
  },
  unavailable(message) {
    return detail(503, message);
  },
  gatewayTimeout(message) {
    return detail(504, message);
  },
  internalError(message) {
    return detail(500, message);
  },
};
