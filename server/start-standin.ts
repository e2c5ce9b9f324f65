/**
 * Standin inside another program (the package's entry point, `import { startStandin } from 'standin'`):
 * startStandin serves the APIs on a port of its own, standinClient reaches one already running (a test worker
 * given its URL). Sandboxes are driven through the admin API, as any client of a served Standin does. The types
 * here are the package's public ones: declared in this file, so its declaration file stands alone.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createStandin, listen } from './app.ts';
import { isSandboxId } from './core/sandbox/store.ts';

export interface StartStandinOptions {
  /** Port to listen on, on 127.0.0.1; 0 (the default) takes a free one. */
  port?: number;
  /** The APIs to serve (default: all of them): `productive`, `djaoapp`, `togai`, `toggl`. */
  apis?: string[];
  /** Keep sandboxes as JSON files in this directory (locked to this process); in memory when absent. */
  data?: string;
  /** Answer 500 when a response breaks the contract (a Standin bug). Default: on under test (vitest, NODE_ENV=test). */
  strict?: boolean;
  /** Require `Authorization: Bearer <token>` on the admin API and the console. */
  adminToken?: string;
}

export interface StandinClientOptions {
  /** The running Standin's admin token, when it was started with one. */
  adminToken?: string;
}

/** A sandbox's clock, as the admin API shows it. */
export interface ClockView {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

/** What `POST /__standin/sandboxes/<name>/clock` takes: one or more of these (docs/admin.md). */
export interface ClockCommand {
  /** Show this instant from now on. */
  set?: string | Date;
  /** Move by an ISO-8601 duration (`P30D`) or a number of milliseconds (negative: back). */
  advance?: string | number;
  /** Stop (true) or restart (false) the clock. */
  freeze?: boolean;
  /** Back to real time. */
  reset?: boolean;
}

/** A sandbox's whole state: its clock and each API's records (what `PUT …/state` restores). */
export interface SandboxSnapshot {
  clock: { offsetMs: number; frozenAt: string | null };
  apis: Record<string, unknown>;
}

/** One sandbox: requests that carry its header see its state only. */
export interface StandinSandbox {
  readonly name: string;
  /** Send these with every API request of this sandbox. */
  readonly headers: { 'X-Standin-Sandbox': string };
  /** Back to the fixtures (and real time); its fault rules are dropped. */
  reset(): Promise<void>;
  /** Its clock; with a command, moved first. */
  clock(command?: ClockCommand): Promise<ClockView>;
  /** Its state (a sandbox exists once an API request or an admin write made it). */
  state(): Promise<SandboxSnapshot>;
}

export interface StandinClient {
  /** Origin of the Standin, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Base URL of an API, where the vendor's own paths follow: `baseUrl('productive') + '/api/v2/prices'`. */
  baseUrl(api: string): string;
  sandbox(name: string): StandinSandbox;
}

export interface RunningStandin extends StandinClient {
  /** The APIs it serves. */
  readonly apis: string[];
  /** Stops listening and writes every pending change of `data`. */
  close(): Promise<void>;
}

/** A client of the Standin serving at `url` (its origin; a path is ignored). */
export function standinClient(url: string, options: StandinClientOptions = {}): StandinClient {
  const origin = new URL(url).origin;
  const authorization: Record<string, string> = options.adminToken
    ? { authorization: `Bearer ${options.adminToken}` }
    : {};
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${origin}/__standin${path}`, {
      method,
      // Admin writes are JSON, body or not (the admin API's guard against forms).
      headers: method === 'GET' ? authorization : { ...authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`standin: ${method} /__standin${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    url: origin,
    baseUrl: (api) => `${origin}/${api}`,
    sandbox(name) {
      if (!isSandboxId(name))
        throw new Error(
          `standin: sandbox name ${JSON.stringify(name)} must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
        );
      const at = `/sandboxes/${name}`;
      return {
        name,
        headers: { 'X-Standin-Sandbox': name },
        reset: async () => void (await admin('POST', `${at}/reset`)),
        clock: (command) => (command ? admin('POST', `${at}/clock`, command) : admin('GET', `${at}/clock`)),
        state: () => admin('GET', `${at}/state`),
      };
    },
  };
}

/** Serves the APIs on 127.0.0.1 (a free port by default) until close(). */
export async function startStandin(options: StartStandinOptions = {}): Promise<RunningStandin> {
  const standin = await createStandin({
    apis: options.apis,
    dataDir: options.data,
    strict: options.strict,
    adminToken: options.adminToken,
  });
  const server = listen(standin.app, options.port ?? 0, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    await standin.close();
    throw error;
  }
  const client = standinClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
  const apis = standin.apis.map((api) => api.plugin.name);
  return {
    ...client,
    apis,
    baseUrl(api) {
      if (!apis.includes(api)) throw new Error(`standin: ${api} is not served here; it serves ${apis.join(', ')}`);
      return client.baseUrl(api);
    },
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      await standin.close();
    },
  };
}
