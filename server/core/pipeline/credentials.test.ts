import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { credentialsReader, splitAuthorization } from './credentials.ts';

const contract = (securitySchemes: Record<string, unknown>) =>
  ({ components: { securitySchemes } }) as unknown as OpenAPIV3_1.Document;
const basicAndBearer = credentialsReader(
  contract({
    basicAuth: { type: 'http', scheme: 'basic' },
    jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  }),
);
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('credentials from the contract', () => {
  it('splits the Authorization header into its scheme, lower-cased, and the rest', () => {
    expect(splitAuthorization('JWT  a.b.c ')).toEqual({ scheme: 'jwt', value: 'a.b.c' });
    expect(splitAuthorization('Bearer')).toEqual({ scheme: 'bearer', value: '' });
    expect(splitAuthorization('  ')).toBeUndefined();
    expect(splitAuthorization(undefined)).toBeUndefined();
  });

  it('reads HTTP Basic: user id and password, no password without a colon, nothing from a value that is not one token', () => {
    expect(basicAndBearer({ authorization: `Basic ${base64('admin@toggl.test:yo:yo')}` }).basic).toEqual({
      userId: 'admin@toggl.test',
      password: 'yo:yo',
    });
    expect(basicAndBearer({ authorization: `basic ${base64('secret')}` }).basic).toEqual({ userId: 'secret' });
    expect(basicAndBearer({ authorization: `Basic ${base64('a:b')} more` })).toEqual({
      apiKeys: {},
      authorization: { scheme: 'basic', value: `${base64('a:b')} more` },
    });
    expect(basicAndBearer({ authorization: 'Bearer x' }).basic).toBeUndefined();
  });

  it('reads HTTP Bearer: one token and nothing after it', () => {
    expect(basicAndBearer({ authorization: 'bearer tok-1' }).bearer).toBe('tok-1');
    expect(basicAndBearer({ authorization: 'Bearer a b' }).bearer).toBeUndefined();
    expect(basicAndBearer({}).authorization).toBeUndefined();
  });

  it('reads only the schemes the contract declares', () => {
    const apiKeysOnly = credentialsReader(
      contract({ authToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' } }),
    );
    expect(apiKeysOnly({ authorization: 'Bearer t', 'x-auth-token': 'k1' })).toEqual({ apiKeys: { authToken: 'k1' } });
    const bearerOnly = credentialsReader(contract({ token: { type: 'http', scheme: 'bearer' } }));
    expect(bearerOnly({ authorization: `Basic ${base64('a:b')}` })).toEqual({
      apiKeys: {},
      authorization: { scheme: 'basic', value: base64('a:b') },
    });
  });

  it('refuses at the start a scheme it cannot read', () => {
    expect(() => credentialsReader(contract({ q: { type: 'apiKey', in: 'query', name: 'key' } }))).toThrow(
      'securitySchemes.q: Standin reads HTTP Basic, HTTP Bearer and API keys in a header, not apiKey in query',
    );
    expect(() => credentialsReader(contract({ o: { type: 'oauth2', flows: {} } }))).toThrow('not oauth2');
  });
});
