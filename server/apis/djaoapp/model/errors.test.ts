import { describe, expect, it } from 'vitest';
import { bodyErrors } from './errors.ts';

describe('DRF error bodies', () => {
  it('places a problem under an inherited name as an own field, never on a prototype', () => {
    const out = bodyErrors([
      { in: 'body', pointer: '/__proto__/polluted', keyword: 'type', message: 'must be string' },
      { in: 'body', pointer: '/constructor', keyword: 'type', message: 'must be string' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__": {"polluted": ["Not a valid string."]}, "constructor": ["Not a valid string."]}'));
  });
});
