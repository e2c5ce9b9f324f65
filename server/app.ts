import { createServer, type Server } from 'node:http';
import express from 'express';
import { adminRoutes } from './core/admin/routes.ts';
import { loadContract } from './core/contract/load.ts';
import { consoleRoutes } from './console/routes.ts';
import { cors } from './core/cors.ts';
import { FaultStore } from './core/faults.ts';
import { apiPipeline, mountApi, type MountedApi } from './core/pipeline.ts';
import { loadRecording, replayMiddleware } from './core/proxy/replay.ts';
import { SandboxStore } from './core/sandbox/store.ts';
import { plugins } from './apis/index.ts';

export interface StandinOptions {
  /** Names of the APIs to serve; all by default. */
  apis?: string[];
  /** Persist sandboxes here (one JSON file each); in memory when absent. */
  dataDir?: string;
  /** Fail loudly (500) when a response breaks the contract. Always on under test. */
  strict?: boolean;
  journalSize?: number;
  bodyLimitBytes?: number;
  /** Exchanges recorded by the validating proxy, answered as recorded before the mock. */
  replayDir?: string;
  /** At most this many sandboxes in memory; the least recently used is dropped (and reloaded from --data when used). */
  maxSandboxes?: number;
  /** A corrupt sandbox file on start: stop naming it (default), or move it aside and start that sandbox from the fixtures. */
  onCorrupt?: 'fail' | 'fixtures';
}

export interface Standin {
  app: express.Express;
  store: SandboxStore;
  apis: MountedApi[];
  /** Fault rules per sandbox. */
  faults: FaultStore;
  /** Flushes every pending write. */
  close(): Promise<void>;
}

export const underTest = () => process.env.NODE_ENV === 'test' || Boolean(process.env.VITEST);

export function availableApis(): string[] {
  return plugins.map((p) => p.name);
}

export async function createStandin(options: StandinOptions = {}): Promise<Standin> {
  const wanted = options.apis ?? availableApis();
  const unknown = wanted.filter((name) => !plugins.some((p) => p.name === name));
  if (unknown.length) throw new Error(`Unknown API ${unknown.join(', ')}; available: ${availableApis().join(', ')}`);
  const apis = plugins.filter((p) => wanted.includes(p.name)).map((p) => mountApi(p, loadContract(p.name)));
  const store = await SandboxStore.open({
    fixtures: () => Object.fromEntries(apis.map((a) => [a.plugin.name, a.plugin.fixtures()])),
    dataDir: options.dataDir,
    journalSize: options.journalSize,
    maxSandboxes: options.maxSandboxes,
    onCorrupt: options.onCorrupt,
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const faults = new FaultStore(new Map(apis.map((a) => [a.plugin.name, new Set(a.contract.operations.map((o) => o.operationId))])));
  app.use(cors);
  app.use('/__standin', consoleRoutes(apis));
  app.use('/__standin', adminRoutes(store, apis, Date.now(), faults));
  const pipelineOptions = {
    store,
    faults,
    strict: options.strict ?? underTest(),
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
  };
  const recording = options.replayDir ? loadRecording(options.replayDir) : [];
  for (const api of apis) {
    const replayed = recording.filter((e) => e.api === api.plugin.name);
    if (replayed.length) app.use(`/${api.plugin.name}`, express.raw({ type: () => true, limit: pipelineOptions.bodyLimitBytes }), replayMiddleware(replayed));
    app.use(`/${api.plugin.name}`, apiPipeline(api, pipelineOptions));
  }
  app.use((_req, res) => {
    res.status(404).json({ error: `Standin serves ${apis.map((a) => `/${a.plugin.name}`).join(', ')} and /__standin/` });
  });
  return { app, store, apis, faults, close: () => store.flushAll() };
}

export interface ServerTimeouts {
  /** The whole request (headers and body) must arrive within this (default 30 s), else 408 and the connection closes. */
  requestTimeoutMs?: number;
  /** The headers must arrive within this (default 10 s, at most requestTimeoutMs). */
  headersTimeoutMs?: number;
}

/**
 * An HTTP server for the app whose slow or stalled clients are cut off (request and header timeouts, checked every
 * second) instead of holding their connections for ever; every other client is served meanwhile.
 */
export function listen(app: express.Express, port: number, host: string, timeouts: ServerTimeouts = {}, onListening?: () => void): Server {
  const requestTimeout = timeouts.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(timeouts.headersTimeoutMs ?? 10_000, requestTimeout);
  const server = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(1_000, headersTimeout) }, app);
  server.keepAliveTimeout = 5_000;
  return server.listen(port, host, onListening);
}
