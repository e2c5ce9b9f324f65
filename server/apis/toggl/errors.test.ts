/** Toggl's error messages for request problems. */
import { describe, expect, it } from 'vitest';
import { togglErrors } from './errors.ts';

describe('errors', () => {
  it('turns request problems into one Toggl message', () => {
    const first = (problems: Parameters<typeof togglErrors.invalidRequest>[0]) =>
      togglErrors.invalidRequest(problems).body;
    expect(first([{ in: 'path', pointer: '/workspace_id', keyword: 'type', message: 'must be integer' }])).toBe(
      "We're expecting an integer as part of the url for workspace_id",
    );
    expect(
      first([
        { in: 'body', pointer: '/user_count', keyword: 'minimum', message: 'must be >= 1' },
        { in: 'body', pointer: '', keyword: 'json', message: 'is not valid JSON' },
      ]),
    ).toBe('JSON is not valid');
    expect(
      first([{ in: 'body', pointer: '/contact_details/contact_email', keyword: 'required', message: 'is required' }]),
    ).toBe('Missing e-mail');
    expect(togglErrors.payloadTooLarge(10).status).toBe(413);
    expect(togglErrors.notFound('GET', '/x').status).toBe(404);
  });
});
