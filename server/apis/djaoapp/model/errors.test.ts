/** DjaoApp's error bodies, as Django REST framework writes them. */
import { describe, expect, it } from 'vitest';
import { bodyErrors, djaoappErrors } from './errors.ts';

describe('DRF error bodies', () => {
  it('places a problem under an inherited name as an own field, never on a prototype', () => {
    const out = bodyErrors([
      { in: 'body', pointer: '/__proto__/polluted', keyword: 'type', message: 'must be string' },
      { in: 'body', pointer: '/constructor', keyword: 'type', message: 'must be string' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toEqual(
      JSON.parse('{"__proto__": {"polluted": ["Not a valid string."]}, "constructor": ["Not a valid string."]}'),
    );
  });
});

describe('DRF errors', () => {
  it('turns schema problems into {"field": ["message"]}, nested pointers into nested objects', () => {
    expect(
      bodyErrors([
        { in: 'body', pointer: '/email', keyword: 'required', message: 'is required' },
        { in: 'body', pointer: '/email', keyword: 'format', message: 'must match format "email"' },
        { in: 'body', pointer: '/lines/1/num', keyword: 'type', message: 'must be integer' },
        { in: 'body', pointer: '', keyword: 'type', message: 'must be object' },
      ]),
    ).toEqual({
      email: ['This field is required.', 'Enter a valid email address.'],
      lines: [{}, { num: ['A valid integer is required.'] }],
      non_field_errors: ['Invalid data. Expected a dictionary.'],
    });
  });

  it("a body that may be an object or a list of them: only the problems of the shape sent, a list's per item", () => {
    const oneOf = {
      in: 'body' as const,
      pointer: '',
      keyword: 'oneOf',
      message: 'must match exactly one schema in oneOf',
    };
    const wanted = (type: string) => ({
      in: 'body' as const,
      pointer: '',
      keyword: 'type',
      message: `must be ${type}`,
    });
    // An object: the list alternative's "must be array" is not what DRF, reading an object, would say.
    expect(
      bodyErrors([
        { in: 'body', pointer: '/plan', keyword: 'required', message: 'is required' },
        wanted('array'),
        oneOf,
      ]),
    ).toEqual({ plan: ['This field is required.'] });
    // A list: one object per item, {} for the items without errors, as DRF's many=True serializer answers.
    expect(
      bodyErrors([
        wanted('object'),
        { in: 'body', pointer: '/1/plan', keyword: 'type', message: 'must be string' },
        oneOf,
      ]),
    ).toEqual([{}, { plan: ['Not a valid string.'] }]);
    expect(
      bodyErrors([
        wanted('object'),
        { in: 'body', pointer: '', keyword: 'minItems', message: 'must NOT have fewer than 1 items' },
        oneOf,
      ]),
    ).toEqual({ non_field_errors: ['This list may not be empty.'] });
    expect(
      bodyErrors([
        wanted('object'),
        { in: 'body', pointer: '', keyword: 'maxItems', message: 'must NOT have more than 100 items' },
        oneOf,
      ]),
    ).toEqual({ non_field_errors: ['Ensure this field has no more than 100 elements.'] });
    // Neither: what DRF says of a body that is no object.
    expect(bodyErrors([wanted('object'), wanted('array'), oneOf])).toEqual({
      non_field_errors: ['Invalid data. Expected a dictionary.'],
    });
  });

  it('415 for a content type, 400 for bad JSON, 404 for a bad page, 405 naming the method', () => {
    const media = djaoappErrors.invalidRequest([
      { in: 'content-type', pointer: '', keyword: 'mediaType', message: "Content-Type 'text/plain' is not supported" },
    ]);
    expect([media.status, media.body]).toEqual([415, { detail: 'Unsupported media type "text/plain" in request.' }]);
    expect(
      djaoappErrors.invalidRequest([
        { in: 'body', pointer: '', keyword: 'json', message: 'is not valid JSON: Unexpected end' },
      ]).body,
    ).toEqual({ detail: 'JSON parse error - Unexpected end' });
    expect(
      djaoappErrors.invalidRequest([{ in: 'query', pointer: '/page', keyword: 'minimum', message: 'must be >= 1' }])
        .status,
    ).toBe(404);
    const notAllowed = djaoappErrors.notFound('get', '/api/auth/', ['POST']);
    expect([notAllowed.status, notAllowed.body]).toEqual([405, { detail: 'Method "GET" not allowed.' }]);
    expect(djaoappErrors.notFound('GET', '/nope').body).toEqual({ detail: 'Not found.' });
  });
});
