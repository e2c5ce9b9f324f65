import { ApiError, type ErrorFormat } from '../../core/plugin.ts';
import type { Problem } from '../../core/validator/compile.ts';

export const JSONAPI = 'application/vnd.api+json; charset=utf-8';

export interface JsonApiError {
  status: string | number;
  code?: string;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

export function jsonApiError(status: number, errors: JsonApiError[]): ApiError {
  return new ApiError(status, { errors });
}

/** Productive writes attribute pointers without the leading slash: `data/attributes/name`. */
export function attributePointer(attribute: string): string {
  return `data/attributes/${attribute}`;
}

export function invalidAttribute(attribute: string, detail: string): JsonApiError {
  return {
    status: '422',
    code: 'invalid_attribute',
    title: 'Invalid Attribute',
    detail,
    source: { pointer: attributePointer(attribute) },
  };
}

/** Query-level errors carry a numeric status, as Productive writes them. */
export function unsupported(kind: 'Filter' | 'Sort' | 'Include', name: string): ApiError {
  const detail =
    kind === 'Sort'
      ? `Sort by '${name}' is not supported on this endpoint`
      : `${kind} '${name}' is not supported on this endpoint`;
  return jsonApiError(400, [{ status: 400, title: `Unsupported ${kind}`, detail }]);
}

export function notFound(detail = 'Record not found'): ApiError {
  return jsonApiError(404, [{ status: '404', code: 'not_found', title: 'Not Found', detail }]);
}

function bodyError(problem: Problem): JsonApiError {
  const pointer = problem.pointer.replace(/^\//, '');
  if (problem.keyword === 'additionalProperties')
    return {
      status: '422',
      code: 'unknown_attribute',
      title: 'Unknown Attribute',
      detail: `${pointer.split('/').pop()} is not allowed`,
      source: { pointer },
    };
  return {
    status: '422',
    code: 'invalid_attribute',
    title: 'Invalid Attribute',
    detail: problem.message,
    source: { pointer },
  };
}

export const productiveErrors: ErrorFormat = {
  invalidRequest(problems) {
    const mediaType = problems.find((p) => p.in === 'content-type');
    if (mediaType)
      return jsonApiError(415, [
        { status: '415', code: 'unsupported_media_type', title: 'Unsupported Media Type', detail: mediaType.message },
      ]);
    const malformed = problems.filter(
      (p) => p.in === 'body' && (p.keyword === 'json' || p.keyword === 'body' || p.pointer === ''),
    );
    if (malformed.length)
      return jsonApiError(
        400,
        malformed.map((p) => ({
          status: '400',
          code: 'bad_request',
          title: 'Bad Request',
          detail: `Request body ${p.message}`,
        })),
      );
    const parameters = problems.filter((p) => p.in !== 'body');
    if (parameters.length)
      return jsonApiError(
        400,
        parameters.map((p) => {
          const name = p.pointer.slice(1);
          return {
            status: 400,
            title: 'Invalid Parameter',
            detail: `${name} ${p.message}`,
            source: { parameter: name },
          };
        }),
      );
    return jsonApiError(422, problems.map(bodyError));
  },
  notFound(method, path, allowed) {
    if (allowed)
      return jsonApiError(405, [
        {
          status: '405',
          code: 'method_not_allowed',
          title: 'Method Not Allowed',
          detail: `${method} is not allowed on ${path}; use ${allowed.join(', ')}`,
        },
      ]);
    return notFound(`No route matches ${method} ${path}`);
  },
  payloadTooLarge(limit) {
    return jsonApiError(413, [
      {
        status: '413',
        code: 'payload_too_large',
        title: 'Payload Too Large',
        detail: `Request body is larger than ${limit} bytes`,
      },
    ]);
  },
  fault(status, message) {
    return jsonApiError(status, [{ status: String(status), code: 'injected_fault', title: message, detail: message }]);
  },
  unavailable(message) {
    return jsonApiError(503, [
      { status: '503', code: 'service_unavailable', title: 'Service Unavailable', detail: message },
    ]);
  },
  gatewayTimeout(message) {
    return jsonApiError(504, [{ status: '504', code: 'gateway_timeout', title: 'Gateway Timeout', detail: message }]);
  },
  internalError(message) {
    return jsonApiError(500, [{ status: '500', title: 'Internal Server Error', detail: message }]);
  },
};
