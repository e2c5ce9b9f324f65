/**
 * The user and contact scenarios' steps (/api/users/..., /api/contacts/...): each sends one request, checked against
 * the contract, and answers the response; what it must be is the scenario's to say.
 */
import type { ConformanceTarget } from '../../support/target.ts';

type Headers = Record<string, string>;
type Query = Record<string, string | number>;

export const users = (t: ConformanceTarget, headers?: Headers, query?: Query) =>
  t.call('users_list', { headers, query });
export const createUser = (t: ConformanceTarget, headers: Headers | undefined, body: unknown) =>
  t.call('users_create', { headers, body });
export const readUser = (t: ConformanceTarget, slug: string, headers?: Headers) =>
  t.call('users_retrieve', { params: { user: slug }, headers });
export const updateUser = (t: ConformanceTarget, slug: string, headers: Headers | undefined, body: unknown) =>
  t.call('users_update', { params: { user: slug }, headers, body });
export const deleteUser = (t: ConformanceTarget, slug: string, headers?: Headers) =>
  t.call('users_destroy', { params: { user: slug }, headers });
export const changePassword = (t: ConformanceTarget, slug: string, headers: Headers, body: unknown) =>
  t.call('users_password_update', { params: { user: slug }, headers, body });
export const updateSshKey = (t: ConformanceTarget, slug: string, headers: Headers, body: unknown) =>
  t.call('users_ssh_keys_update', { params: { user: slug }, headers, body });

export const createContact = (t: ConformanceTarget, headers: Headers | undefined, body: unknown) =>
  t.call('contacts_create', { headers, body });
export const updateContact = (t: ConformanceTarget, slug: string, headers: Headers, body: unknown) =>
  t.call('contacts_update', { params: { user: slug }, headers, body });
export const deleteContact = (t: ConformanceTarget, slug: string, headers: Headers) =>
  t.call('contacts_destroy', { params: { user: slug }, headers });
export const activities = (t: ConformanceTarget, slug: string, headers: Headers, query?: Query) =>
  t.call('contacts_activities_list', { params: { user: slug }, headers, query });
export const recordActivity = (t: ConformanceTarget, slug: string, headers: Headers, body: unknown) =>
  t.call('contacts_activities_create', { params: { user: slug }, headers, body });
