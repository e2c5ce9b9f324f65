/**
 * The rules and themes scenarios' steps (/api/proxy/..., /api/themes/...): each sends one request, checked against
 * the contract, and answers the response; what it must be is the scenario's to say.
 */
import type { ConformanceTarget } from '../../support/target.ts';

type Headers = Record<string, string>;

export const proxyApp = (t: ConformanceTarget, headers: Headers) => t.call('proxy_app_retrieve', { headers });
export const updateProxyApp = (t: ConformanceTarget, headers: Headers, body: unknown) =>
  t.call('proxy_app_update', { headers, body });

export const rules = (t: ConformanceTarget, headers: Headers) => t.call('proxy_rules_list', { headers });
export const createRule = (t: ConformanceTarget, headers: Headers, body: unknown) =>
  t.call('proxy_rules_create', { headers, body });
export const rule = (t: ConformanceTarget, path: string, headers: Headers) =>
  t.call('proxy_rules_retrieve', { params: { rule: path }, headers });
export const updateRule = (t: ConformanceTarget, path: string, headers: Headers, body: unknown) =>
  t.call('proxy_rules_update', { params: { rule: path }, headers, body });
export const deleteRule = (t: ConformanceTarget, path: string, headers: Headers) =>
  t.call('proxy_rules_destroy', { params: { rule: path }, headers });

/** The session the app forwards for `user` (GET /api/proxy/sessions/{user}/). */
export const forwardedSession = (t: ConformanceTarget, user: string, headers: Headers) =>
  t.call('proxy_sessions_retrieve', { params: { user }, headers });

export const removeTag = (t: ConformanceTarget, slug: string, headers: Headers, body: unknown) =>
  t.call('themes_editables_remove_tags', { params: { slug }, headers, body });
