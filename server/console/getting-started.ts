/**
 * The APIs tab's data: what each plugin's gettingStarted declares on its fixtures, turned into HTTP by the
 * contract's securitySchemes (a Basic pair becomes `Authorization: Basic …`, an API key its header) and its
 * operations (the first request's method and path). A credential or first request that does not fit the contract
 * fails here, loudly, rather than showing a newcomer a request that cannot work.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { resolveLocal } from '../core/contract/load.ts';
import type { MountedApi } from '../core/pipeline/mount.ts';
import type { GettingStarted, SchemeValue, StartCredential } from '../core/plugin.ts';

/** A request as the console shows it and copies it as curl: the path is below the API's mount point. */
interface RequestView {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A credential ready to send: its headers, or a login whose answer's `tokenField` goes into `header`. */
interface CredentialView {
  who: string;
  /** What to send, as a person reads it, e.g. `Basic admin@toggl.test : yoyo`. */
  shown: string[];
  headers: Record<string, string>;
  basic?: { username: string; password: string };
  login?: { request: RequestView; tokenField: string; header: string; prefix: string };
}

export interface StartView {
  name: string;
  title: string;
  schemes: { name: string; how: string; description?: string }[];
  credentials: CredentialView[];
  records: GettingStarted['records'];
  firstRequest: RequestView & { operationId: string; summary?: string };
  reference: GettingStarted['reference'];
}

type Scheme = OpenAPIV3_1.SecuritySchemeObject;

function schemesOf(api: MountedApi): Record<string, Scheme> {
  const document = api.contract.document;
  const declared = document.components?.securitySchemes ?? {};
  return Object.fromEntries(Object.entries(declared).map(([name, s]) => [name, resolveLocal<Scheme>(document, s)]));
}

function howToSend(scheme: Scheme): string {
  if (scheme.type === 'http') return `Authorization: ${scheme.scheme === 'basic' ? 'Basic' : 'Bearer'} …`;
  if (scheme.type === 'apiKey' && scheme.in === 'header') return `${scheme.name}: …`;
  return scheme.type;
}

function operation(api: MountedApi, operationId: string) {
  const found = api.contract.byId.get(operationId);
  if (!found) throw new Error(`${api.plugin.name} gettingStarted: no operation ${operationId} in the contract`);
  return found;
}

function loginView(api: MountedApi, login: { operationId: string; body: unknown; tokenField: string }) {
  const op = operation(api, login.operationId);
  if (op.security.length) throw new Error(`${api.plugin.name} gettingStarted: ${login.operationId} is not public`);
  return {
    request: {
      method: op.method.toUpperCase(),
      path: op.path,
      headers: { 'Content-Type': 'application/json' },
      body: login.body,
    },
    tokenField: login.tokenField,
    header: 'Authorization',
    prefix: 'Bearer ',
  };
}

function credentialView(api: MountedApi, schemes: Record<string, Scheme>, credential: StartCredential) {
  const view: CredentialView = { who: credential.who, shown: [], headers: {} };
  const misfit = (name: string) => new Error(`${api.plugin.name} gettingStarted: ${name} does not fit its scheme`);
  for (const [name, value] of Object.entries(credential.schemes) as [string, SchemeValue][]) {
    const scheme = schemes[name];
    if (!scheme) throw new Error(`${api.plugin.name} gettingStarted: no security scheme ${name} in the contract`);
    if (scheme.type === 'http' && scheme.scheme === 'basic' && typeof value === 'object' && 'username' in value) {
      view.basic = value;
      view.headers.Authorization = `Basic ${Buffer.from(`${value.username}:${value.password}`).toString('base64')}`;
      view.shown.push(`HTTP Basic: user ${value.username}, password ${value.password}`);
    } else if (scheme.type === 'http' && scheme.scheme === 'bearer' && typeof value === 'string') {
      view.headers.Authorization = `Bearer ${value}`;
      view.shown.push(`Authorization: Bearer ${value}`);
    } else if (scheme.type === 'http' && scheme.scheme === 'bearer' && typeof value === 'object' && 'login' in value) {
      view.login = loginView(api, value.login);
      view.shown.push(
        `${view.login.request.method} ${view.login.request.path} ${JSON.stringify(value.login.body)}`,
        `then Authorization: Bearer <${value.login.tokenField} of its answer>`,
      );
    } else if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof value === 'string') {
      view.headers[scheme.name] = value;
      view.shown.push(`${scheme.name}: ${value}`);
    } else throw misfit(name);
  }
  return view;
}

/** The operation's path with its path parameters filled in; every one must be given. */
function fillPath(api: MountedApi, path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${api.plugin.name} gettingStarted: no value for {${name}}`);
    return encodeURIComponent(String(params[name]));
  });
}

/** Whether the credential's schemes are exactly one of the operation's security requirements. */
function fitsRequirements(api: MountedApi, operationId: string, credential: StartCredential): boolean {
  const op = operation(api, operationId);
  const requirements = op.spec.security ?? api.contract.document.security ?? [];
  const names = Object.keys(credential.schemes).sort().join(' ');
  return requirements.some((r) => Object.keys(r).sort().join(' ') === names);
}

export function startView(api: MountedApi): StartView | undefined {
  const start = api.plugin.gettingStarted?.(api.plugin.fixtures());
  if (!start) return undefined;
  const schemes = schemesOf(api);
  const first = start.firstRequest;
  const op = operation(api, first.operationId);
  const credential = start.credentials[0];
  if (op.security.length && !(credential && fitsRequirements(api, first.operationId, credential)))
    throw new Error(`${api.plugin.name} gettingStarted: the first credential does not fit ${first.operationId}`);
  const credentials = start.credentials.map((c) => credentialView(api, schemes, c));
  const query = new URLSearchParams(first.query ?? {}).toString();
  return {
    name: api.plugin.name,
    title: api.plugin.title,
    schemes: Object.entries(schemes).map(([name, s]) => ({ name, how: howToSend(s), description: s.description })),
    credentials,
    records: start.records,
    firstRequest: {
      operationId: op.operationId,
      summary: op.spec.summary,
      method: op.method.toUpperCase(),
      path: fillPath(api, op.path, first.params) + (query ? `?${query}` : ''),
      headers: op.security.length ? credentials[0]!.headers : {},
    },
    reference: start.reference,
  };
}
