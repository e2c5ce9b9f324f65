/**
 * The profile scenarios' steps (/api/profile/...): each sends one request, checked against the contract, and answers
 * the response; what it must be is the scenario's to say.
 */
import type { ConformanceTarget } from '../../support/target.ts';

type Headers = Record<string, string>;
type Query = Record<string, string | number>;

export const createProfile = (t: ConformanceTarget, headers: Headers | undefined, body: unknown) =>
  t.call('profiles_create', { headers, body });
export const profiles = (t: ConformanceTarget, headers?: Headers, query?: Query) =>
  t.call('profiles_list', { headers, query });
export const profile = (t: ConformanceTarget, organization: string, headers?: Headers) =>
  t.call('profiles_retrieve', { params: { organization }, headers });
export const updateProfile = (t: ConformanceTarget, organization: string, headers: Headers, body: unknown) =>
  t.call('profiles_update', { params: { organization }, headers, body });
export const deleteProfile = (t: ConformanceTarget, organization: string, headers: Headers) =>
  t.call('profiles_destroy', { params: { organization }, headers });
