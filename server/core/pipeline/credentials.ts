/**
 * Credentials, read once per request from the headers the contract's securitySchemes name: HTTP Basic, HTTP
 * Bearer and API keys in a header. A vendor only looks the principal up (and answers its own way when it finds
 * none). A scheme the core cannot read fails the start, not a request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OpenAPIV3_1 } from 'openapi-types';
import { resolveLocal } from '../contract/load.ts';

export interface Credentials {
  /** The Authorization header as its scheme (lower case) and the rest; absent when the request sends none. */
  authorization?: { scheme: string; value: string };
  /** From `Basic <base64 of user-id:password>`; no password when the decoded text has no colon. */
  basic?: { userId: string; password?: string };
  /** From `Bearer <token>`, one token and nothing after it. */
  bearer?: string;
  /** The header of each apiKey scheme the request sends, by the scheme's name in the contract. */
  apiKeys: Record<string, string>;
}

export type CredentialsReader = (headers: IncomingHttpHeaders) => Credentials;

const TOKEN68 = /^[A-Za-z0-9+/=_-]+$/;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `Basic dXNlcjpwYXNz` → { scheme: 'basic', value: 'dXNlcjpwYXNz' }; undefined for an absent or blank header. */
export function splitAuthorization(header: string | undefined): Credentials['authorization'] {
  const text = header?.trim();
  if (!text) return undefined;
  const space = text.search(/\s/);
  return space < 0
    ? { scheme: text.toLowerCase(), value: '' }
    : { scheme: text.slice(0, space).toLowerCase(), value: text.slice(space).trim() };
}

function basicOf(value: string): Credentials['basic'] {
  if (!TOKEN68.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { userId: decoded } : { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

type Scheme = OpenAPIV3_1.SecuritySchemeObject;

function unsupported(name: string, scheme: Scheme): Error {
  const kind =
    scheme.type === 'http'
      ? `http ${scheme.scheme}`
      : scheme.type === 'apiKey'
        ? `apiKey in ${scheme.in}`
        : scheme.type;
  return new Error(
    `securitySchemes.${name}: Standin reads HTTP Basic, HTTP Bearer and API keys in a header, not ${kind}`,
  );
}

/** The reader of a contract's credentials; throws when the contract declares a scheme it cannot read. */
export function credentialsReader(document: OpenAPIV3_1.Document): CredentialsReader {
  let basic = false;
  let bearer = false;
  const apiKeys: Array<[name: string, header: string]> = [];
  for (const [name, raw] of Object.entries(document.components?.securitySchemes ?? {})) {
    const scheme = resolveLocal<Scheme>(document, raw);
    if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') basic = true;
    else if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'bearer') bearer = true;
    else if (scheme.type === 'apiKey' && scheme.in === 'header') apiKeys.push([name, scheme.name.toLowerCase()]);
    else throw unsupported(name, scheme);
  }
  return (headers) => {
    const credentials: Credentials = { apiKeys: {} };
    for (const [name, header] of apiKeys) {
      const value = first(headers[header]);
      if (value !== undefined) credentials.apiKeys[name] = value;
    }
    if (!basic && !bearer) return credentials;
    const authorization = splitAuthorization(first(headers.authorization));
    if (!authorization) return credentials;
    credentials.authorization = authorization;
    if (basic && authorization.scheme === 'basic') credentials.basic = basicOf(authorization.value);
    if (bearer && authorization.scheme === 'bearer' && /^\S+$/.test(authorization.value))
      credentials.bearer = authorization.value;
    return credentials;
  };
}
