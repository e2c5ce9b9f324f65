/**
 * What the DjaoApp pacts and their clients share: the broker manager's example token (the provider replaces it,
 * see fresh-token.ts), its bearer and instant matchers, and the clients' JSON requests.
 */
import { MatchersV3 } from '@pact-foundation/pact';

export const managerExampleToken =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImRvbm55IiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJlLW9mLWFuLWV4YW1wbGU';
export const managerBearer = MatchersV3.regex(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, `Bearer ${managerExampleToken}`);
/** A page of DjaoApp results: `count` of them (a number like it), each like `item`, no other page. */
export const pageOf = (count: number, item: unknown) => ({
  count: MatchersV3.integer(count),
  next: null,
  previous: null,
  results: MatchersV3.eachLike(item),
});
export const instant = (example: string) => MatchersV3.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, example);

/** Sends a JSON request (with the token, when given) and answers the parsed body; a 4xx/5xx throws {status, body}. */
export async function jsonRequest(
  baseUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw Object.assign(new Error(`${method} ${path} → ${res.status}`), { status: res.status, body: data });
  return data;
}
