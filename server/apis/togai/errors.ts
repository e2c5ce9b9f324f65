/** Togai's error body, `{"message": "<reason>"}`, for every 4xx, and the core's findings in that format. */
import { ApiError, type ErrorFormat } from '../../core/plugin.ts';
import type { Problem } from '../../core/validator/compile.ts';

export const JSON_TYPE = 'application/json';

export function togaiError(status: number, message: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(status, { message: message.length > 500 ? `${message.slice(0, 497)}...` : message }, headers);
}

export const badRequest = (message: string) => togaiError(400, message);
export const notFound = (message: string) => togaiError(404, message);

/** `/accountAliases/0/value` → `accountAliases[0].value`; a parameter's pointer is its name. */
export function fieldName(problem: Problem): string {
  const parts = problem.pointer.split('/').filter(Boolean);
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function describe(problem: Problem): string {
  const field = fieldName(problem);
  if (problem.in === 'content-type') return problem.message;
  if (problem.in === 'body' && (problem.keyword === 'json' || problem.keyword === 'body'))
    return `Malformed request body: ${problem.message}`;
  if (problem.in === 'body' && problem.keyword === 'required' && !field) return 'Request body is required';
  const where = problem.in === 'body' ? '' : `${problem.in} parameter `;
  if (problem.keyword === 'additionalProperties') return `Unknown field ${field}`;
  return `${where}${field || 'body'} ${problem.message}`.trim();
}

export const togaiErrors: ErrorFormat = {
  invalidRequest(problems) {
    const messages = [...new Set(problems.map(describe))];
    return togaiError(400, `Invalid request: ${messages.join('; ')}`);
  },
  notFound(method, path, allowed) {
    if (allowed) return togaiError(405, `Method ${method} is not allowed on ${path}; use ${allowed.join(', ')}`);
    return togaiError(404, `No route for ${method} ${path}`);
  },
  payloadTooLarge(limit) {
    return togaiError(413, `Request body is larger than ${limit} bytes`);
  },
  fault(status, message) {
    return togaiError(status, message);
  },
  unavailable(message) {
    return togaiError(503, message);
  },
  gatewayTimeout(message) {
    return togaiError(504, message);
  },
  internalError(message) {
    return togaiError(500, message);
  },
};
