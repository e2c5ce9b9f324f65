import { describe, expect, it } from 'vitest';
import { coreErrors, isOffContract, StandinBug } from './errors.ts';
import { ApiError, type ErrorFormat } from './plugin.ts';

const shared = new ApiError(400, { kind: 'vendor' });
/** A vendor that hands out one error object: marking it off the contract would mark every later use. */
const errors: ErrorFormat = {
  invalidRequest: () => shared,
  notFound: () => new ApiError(404, 'nf'),
  payloadTooLarge: (limit) => new ApiError(413, { limit }),
  fault: (status, message) => new ApiError(status, { message }),
  unavailable: (message) => new ApiError(503, { message }, { 'X-A': '1' }),
  gatewayTimeout: (message) => new ApiError(504, { message }),
  internalError: (message) => new ApiError(500, { message }),
};

describe('core errors', () => {
  it("gives every refusal in the vendor's format, through the ErrorFormat method of its kind", () => {
    expect(coreErrors['sandbox-id'](errors)).toBe(shared);
    expect(coreErrors['route-not-found'](errors, 'GET', '/x').status).toBe(404);
    expect(coreErrors['body-too-large'](errors, 10).body).toEqual({ limit: 10 });
    expect(coreErrors['sandbox-unsaved'](errors, 's1', 'disk full')).toMatchObject({
      status: 503,
      headers: { 'X-A': '1', 'Retry-After': '1' },
    });
    expect(coreErrors['fault-injected'](errors, 418, undefined, 3)).toMatchObject({
      status: 418,
      body: { message: "I'm a Teapot" },
      headers: { 'Retry-After': '3' },
    });
  });

  it("marks copies of the answers off the contract on purpose, never the vendor's own object", () => {
    const marked = coreErrors['fault-header'](errors, 'bad');
    expect(marked).not.toBe(shared);
    expect(isOffContract(marked)).toBe(true);
    expect(isOffContract(shared)).toBe(false);
    expect(isOffContract(coreErrors['request-invalid'](errors, [], {} as never, 0))).toBe(false);
  });

  it('counts the problems a refusal leaves out in a header', () => {
    const refusal = coreErrors['request-invalid'](
      { ...errors, invalidRequest: () => new ApiError(400, {}) },
      [],
      {} as never,
      4,
    );
    expect(refusal.headers).toEqual({ 'X-Standin-Problems-Omitted': '4' });
  });

  it('names the bugs it catches by code', () => {
    expect(new StandinBug('no-handler', 'things', 'get_thing')).toMatchObject({
      code: 'no-handler',
      message: 'No handler for things.get_thing',
    });
  });
});
