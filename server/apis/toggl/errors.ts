/** Toggl's error body: a bare JSON-encoded string such as "Admin permissions required.", no envelope. */
import { ApiError, type ErrorFormat } from '../../core/plugin.ts';
import type { Operation } from '../../core/contract/load.ts';
import type { Problem } from '../../core/validator/compile.ts';

export const JSON_UTF8 = 'application/json; charset=utf-8';

export function togglError(status: number, message: string): ApiError {
  return new ApiError(status, message);
}

export const badRequest = (message: string) => togglError(400, message);
export const forbidden = (message: string) => togglError(403, message);
export const notFound = (message: string) => togglError(404, message);

export const ADMIN_REQUIRED = 'Admin permissions required.';
export const NO_ACCESS = 'User does not have access to this resource.';

/**
 * The message Toggl gives for a missing or out-of-range body field, by operation family: the same field is worded
 * differently by different endpoints.
 */
const FIELD_MESSAGES: Record<string, string> = {
  pricing_plan_tag: 'pricing_plan_tag is a required field',
  user_count: 'user_count must be greater than 0',
  period: 'period can be 1 or 12',
  company_name: 'the company_name field is required',
  company_address: 'the company_address field is required',
  contact_email: 'Missing e-mail',
  country_id: 'country_id invalid',
};

function fieldMessage(problem: Problem, operation: Operation | undefined): string | undefined {
  const field = problem.pointer.split('/').pop() ?? '';
  if (field === 'pricing_plan_id')
    return operation?.operationId === 'post_workspace_subscription_calculate'
      ? 'pricing_plan_id is not valid'
      : 'pricing_plan_id required';
  if (!['required', 'minimum', 'enum'].includes(problem.keyword)) return undefined;
  return FIELD_MESSAGES[field];
}

/** Order in which Toggl's handlers check a request: the URL, the query, then the body. */
const LOCATION_ORDER: Problem['in'][] = ['path', 'query', 'header', 'content-type', 'body', 'response'];

function messageFor(problem: Problem, operation: Operation | undefined): string {
  const name = problem.pointer.replace(/^\//, '');
  switch (problem.in) {
    case 'path':
      return problem.keyword === 'type'
        ? `We're expecting an integer as part of the url for ${name}`
        : `${name} is not valid`;
    case 'query':
      if (operation?.operationId === 'get_organization_invoice_summary') return 'Bad Request';
      return problem.keyword === 'required' ? `${name} is a required field` : `${name} ${problem.message}`;
    case 'header':
      return `${name} header ${problem.message}`;
    case 'content-type':
      return `JSON is not valid: ${problem.message}`;
    default:
      break;
  }
  if (problem.keyword === 'maxDepth') return `JSON is not valid: the body ${problem.message}`;
  if (problem.keyword === 'json' || problem.keyword === 'body' || problem.pointer === '') return 'JSON is not valid';
  const known = fieldMessage(problem, operation);
  if (known) return known;
  return `JSON is not valid: ${name.replace(/\//g, '.')} ${problem.message}`;
}

export const togglErrors: ErrorFormat = {
  invalidRequest(problems, operation) {
    // One message, like Toggl: the first problem by location; in the body a decode failure first, then the
    // fields in the order the schema lists them.
    const rank = (p: Problem) =>
      LOCATION_ORDER.indexOf(p.in) * 2 + (p.in === 'body' && (p.keyword === 'json' || p.pointer === '') ? 0 : 1);
    const first = [...problems].sort((a, b) => rank(a) - rank(b))[0];
    return togglError(400, first ? messageFor(first, operation) : 'Bad Request');
  },
  notFound(method, _path, allowed) {
    if (allowed) return togglError(405, `${method} is not allowed here; use ${allowed.join(', ')}`);
    return togglError(404, '404 page not found');
  },
  payloadTooLarge(limit) {
    return togglError(413, `Request body is larger than ${limit} bytes`);
  },
  fault(status, message) {
    return togglError(status, message);
  },
  unavailable(message) {
    return togglError(503, message);
  },
  gatewayTimeout(message) {
    return togglError(504, message);
  },
  internalError(message) {
    return togglError(500, message);
  },
};
