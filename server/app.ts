import { createServer, type Server } from 'node:http';
import express from 'express';
import { adminGuard } from './core/admin/guard.ts';
import { JournalStreams } from './core/admin/journal-stream.ts';
import { adminRoutes } from './core/admin/routes.ts';
import { loadContract } from './core/contract/load.ts';
import { consoleRoutes } from './console/routes.ts';
import { cors } from './core/cors.ts';
import { FaultStore } from './core/faults.ts';
import { dispatcher, type StandinApp } from './core/pipeline/dispatch.ts';
import { apiPipeline, mountApi, type ApiPipeline, type MountedApi, type RequestEvent } from './core/pipeline/index.ts';
import { loadRecording, replayMiddleware } from './core/proxy/replay.ts';
import type { Disk } from './core/sandbox/disk.ts';
import { SandboxStore } from './core/sandbox/store.ts';
import { openRedisStore, type RedisStoreOptions } from './core/store-redis/redis-store.ts';
import { plugins } from './apis/index.ts';

export interface StandinOptions {
  /** Names of the APIs to serve; all by default. */
  apis?: string[];
  /** Persist sandboxes here (one JSON file each; the directory is locked to this process); in memory when absent. */
  dataDir?: string;
  /** The file operations of dataDir (tests make them fail). */
  disk?: Disk;
  /** Keep sandboxes in Redis, shared with other servers (one holds a sandbox at a time, by a lease), instead. */
  redis?: RedisStoreOptions;
  /** Fail loudly (500) when a response breaks the contract (always on under test); 'warn': report it in the journal and to onRequest, answer as is. */
  strict?: boolean | 'warn';
  /** Told of every request an API's pipeline answered (the CLI's request log). */
  onRequest?: (event: RequestEvent) => void;
  journalSize?: number;
  bodyLimitBytes?: number;
  /** Exchanges recorded by the validating proxy, answered as recorded before the mock. */
  replayDir?: string;
  /** At most this many sandboxes in memory (default 1,000); the least recently used is dropped (and reloaded from --data when used). */
  maxSandboxes?: number;
  /** A corrupt sandbox file on start: stop naming it (default), or move it aside and start that sandbox from the fixtures. */
  onCorrupt?: 'fail' | 'fixtures';
  /** Required as `Authorization: Bearer <token>` on the admin API and the console (health aside). */
  adminToken?: string;
  /** Host names the admin API answers to besides IP addresses and localhost ('.example.test': with subdomains); 'all': any. */
  allowedHosts?: string[] | 'all';
  /** Called before each write a request makes to its state; a throw there fails the request (tests use it). */
  beforeWrite?: () => void;
}

export interface Standin {
  /** The request listener every way of serving enters by: app.listen, listen(), http.createServer(app). */
  app: StandinApp;
  store: SandboxStore;
  apis: MountedApi[];
  /** Each API's pipeline, by name: what an in-process caller (msw.ts) hands a request to. */
  pipelines: ReadonlyMap<string, ApiPipeline>;
  /** Fault rules per sandbox. */
  faults: FaultStore;
  /** Ends the console's live journals: a stopping server waits for the requests under way, not for those. */
  endLiveJournals(): void;
  /**
   * Ends the console's live journals, flushes every pending write (throws naming the sandboxes that could not be
   * written) and unlocks the data directory.
   */
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
  if (options.redis && options.dataDir) throw new Error('Sandboxes are kept in Redis or in a data directory, not both');
  const shared = options.redis ? await openRedisStore(options.redis) : undefined;
  const store = await SandboxStore.open({
    shared,
    fixtures: () => Object.fromEntries(apis.map((a) => [a.plugin.name, a.plugin.fixtures()])),
    shareFixtures: true,
    dataDir: options.dataDir,
    disk: options.disk,
    journalSize: options.journalSize,
    maxSandboxes: options.maxSandboxes,
    onCorrupt: options.onCorrupt,
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const faults = new FaultStore(
    new Map(apis.map((a) => [a.plugin.name, new Set(a.contract.operations.map((o) => o.operationId))])),
  );
  if (shared) {
    faults.persist = (id, rules) => shared.writeFaults(id, rules);
    shared.onFaults = (id, rules) => faults.load(id, rules);
  }
  app.use('/__standin', adminGuard({ token: options.adminToken, allowedHosts: options.allowedHosts }));
  app.use('/__standin', consoleRoutes(apis));
  const journalStreams = new JournalStreams();
  app.use('/__standin', adminRoutes(store, apis, Date.now(), faults, journalStreams));
  app.use(cors);
  const pipelineOptions = {
    store,
    faults,
    strict: options.strict ?? underTest(),
    guardReads: underTest(),
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    beforeWrite: options.beforeWrite,
    onRequest: options.onRequest,
  };
  const recording = options.replayDir ? loadRecording(options.replayDir) : [];
  const direct = new Map<string, ApiPipeline>();
  const pipelines = new Map<string, ApiPipeline>();
  for (const api of apis) {
    const pipeline = apiPipeline(api, pipelineOptions);
    pipelines.set(api.plugin.name, pipeline);
    const replayed = recording.filter((e) => e.api === api.plugin.name);
    if (replayed.length)
      app.use(
        `/${api.plugin.name}`,
        express.raw({ type: () => true, limit: pipelineOptions.bodyLimitBytes }),
        replayMiddleware(replayed),
      );
    else direct.set(api.plugin.name, pipeline);
    app.use(`/${api.plugin.name}`, pipeline.mounted);
  }
  app.use((_req, res) => {
    res
      .status(404)
      .json({ error: `Standin serves ${apis.map((a) => `/${a.plugin.name}`).join(', ')} and /__standin/` });
  });
  const endLiveJournals = () => journalStreams.close();
  const close = () => {
    endLiveJournals();
    return store.close();
  };
  return { app: dispatcher(app, direct), store, apis, pipelines, faults, endLiveJournals, close };
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
export function listen(
  app: StandinApp,
  port: number,
  host: string,
  timeouts: ServerTimeouts = {},
  onListening?: () => void,
): Server {
  const requestTimeout = timeouts.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(timeouts.headersTimeoutMs ?? 10_000, requestTimeout);
  const server = createServer(
    { requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(1_000, headersTimeout) },
    app,
  );
  server.keepAliveTimeout = 5_000;
  return server.listen(port, host, onListening);
}
