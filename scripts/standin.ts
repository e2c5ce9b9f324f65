#!/usr/bin/env -S npx tsx
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableApis, createStandin, listen } from '../server/app.ts';
import { DataDirectoryError } from '../server/core/sandbox/data-dir.ts';
import { ReplayError } from '../server/core/proxy/replay.ts';
import { CorruptSandboxFile } from '../server/core/sandbox/store.ts';
import { StoreUnreachable } from '../server/core/store-redis/redis-store.ts';
import { paint } from './cli-output.ts';
import { logFormat, requestLogger } from './request-log.ts';
import {
  adminTokenOption,
  apiList,
  CONFIG_FILES,
  ConfigError,
  configFile,
  port,
  resolveServeOptions,
  serveOptions,
  type ServeOptions,
} from './serve-options.ts';
// The other commands' modules are imported when they run: `serve` starts without loading Prism (the proxy),
// faker (seed) or the suites' runners, about a second of a cold start.

process.env.PACT_DO_NOT_TRACK ??= 'true';

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** How long a server stopped by a signal lets the requests under way finish before it cuts them. */
const DRAIN_MS = 10_000;
const program = new Command('standin')
  .description('Stateful mock server and conformance suites for billing APIs')
  .version(version);

const serve = program
  .command('serve')
  .description(
    'serve the APIs, each at /<api>, with the admin API at /__standin/; options also from STANDIN_* variables and standin.config.json (or .yaml)',
  )
  .addOption(
    new Option(
      '--config <file>',
      `read serve options from this JSON or YAML file (default: ${CONFIG_FILES.join(', ')}, when there)`,
    ).env('STANDIN_CONFIG'),
  );
for (const option of serveOptions()) serve.addOption(option);
serve.action(async (flags: { config?: string }, command: Command) => {
  let options: ServeOptions;
  try {
    options = resolveServeOptions(command, configFile(flags.config));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return command.error(`error: ${error.message}`);
  }
  if (!isLoopback(options.host) && options.adminToken === undefined) {
    console.error(
      `standin: --host ${options.host} serves the admin API (reset, restore, delete, the journal's bodies) beyond this machine: give --admin-token <token> (or STANDIN_ADMIN_TOKEN), or --no-admin-token to serve it to anyone who reaches the port`,
    );
    process.exit(2);
  }
  const boundName = isLoopback(options.host) || isWildcard(options.host) || isIP(options.host) ? [] : [options.host];
  const allowedHosts = options.allowedHosts === 'all' ? 'all' : [...boundName, ...(options.allowedHosts ?? [])];
  const adminToken = options.adminToken || undefined;
  if (options.store && options.data) {
    console.error('standin: give --store (sandboxes in Redis) or --data (sandboxes in files), not both');
    process.exit(2);
  }
  const standin = await createStandin({
    apis: options.api,
    dataDir: options.data,
    redis: options.store ? { url: options.store, prefix: options.storePrefix, leaseMs: options.storeLease } : undefined,
    strict: options.strict,
    onRequest: requestLogger(logFormat(options.log, process.stdout)),
    maxSandboxes: options.maxSandboxes,
    onCorrupt: options.onCorrupt,
    adminToken,
    allowedHosts,
    replayDir: options.replay,
  }).catch((error: unknown) => {
    if (error instanceof ReplayError) console.error(`standin: --replay ${options.replay}: ${error.message}`);
    else if (
      error instanceof DataDirectoryError ||
      error instanceof CorruptSandboxFile ||
      error instanceof StoreUnreachable
    )
      console.error(`standin: ${error.message}`);
    else throw error;
    process.exit(1);
  });
  const server = listen(standin.app, options.port, options.host, { requestTimeoutMs: options.requestTimeout }, () => {
    const address = server.address();
    const base = `http://${options.host}:${typeof address === 'object' && address ? address.port : options.port}`;
    const kept = options.store
      ? ` (sandboxes in ${options.store}, prefix ${options.storePrefix})`
      : options.data
        ? ` (data in ${options.data})`
        : ' (in memory)';
    console.log(`standin: serving on ${base}${kept}`);
    for (const api of standin.apis)
      console.log(
        `  ${api.plugin.title.padEnd(48)} ${base}/${api.plugin.name}  (${api.contract.operations.length} operations)`,
      );
    console.log(`  admin API                                        ${base}/__standin/health`);
    console.log(
      `  ${paint('bold', 'console')}                                          ${paint('blue', `${base}/__standin/`)}`,
    );
    console.log(`  API reference                                    ${base}/__standin/docs`);
    if (adminToken)
      console.log(`  the admin API needs the token (Authorization: Bearer); console: ${base}/__standin/?token=<token>`);
    else if (!isLoopback(options.host))
      console.warn(
        paint(
          'red',
          `standin: the admin API on ${options.host} has no token (--no-admin-token): anyone who reaches the port controls every sandbox`,
          process.stderr,
        ),
      );
  });
  server.once('error', (error: NodeJS.ErrnoException) => {
    const reasons: Record<string, string> = {
      EADDRINUSE: 'is in use by another program (another Standin? stop it, or give another --port; 0 picks a free one)',
      EACCES: 'may not be bound by this user (ports below 1024 need privileges)',
      EADDRNOTAVAIL: 'is not an address of this machine',
    };
    console.error(
      `standin: cannot listen on ${options.host}:${options.port}: ${reasons[error.code ?? ''] ?? error.message}`,
    );
    void standin.close().finally(() => process.exit(1));
  });
  const stop = async (signal: string) => {
    console.log(`standin: ${signal}, answering the requests under way, flushing and stopping`);
    // No new connections, and the idle ones closed (server.close does). The requests under way are answered
    // (DRAIN_MS at most, then cut) and their connections closed once idle, which node leaves to us, so that a
    // replica restarted in turn loses no answer; a second signal ends it at once.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    standin.endLiveJournals();
    const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await drained;
    clearInterval(closeIdle);
    clearTimeout(cut);
    try {
      await standin.close();
    } catch (error) {
      console.error(`standin: ${(error as Error).message}`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
});

program
  .command('prepare')
  .description(
    "fill the start-up cache (what a first start does): compile every contract's validators; npm install runs it",
  )
  .action(async () => {
    const started = performance.now();
    const standin = await createStandin();
    await standin.close();
    const operations = standin.apis.reduce((n, api) => n + api.contract.operations.length, 0);
    console.log(
      `standin: ${standin.apis.length} contracts (${operations} operations) compiled and cached in ${Math.round(performance.now() - started)} ms`,
    );
  });

function credentialOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('a credential is NAME=VALUE, e.g. PRODUCTIVE_TOKEN=abc');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

interface TargetCommandOptions {
  api?: string;
  target?: string;
  report: string;
  credential?: Record<string, string>;
  credentials?: string;
  profile?: string;
  pathStyle?: 'slash' | 'slashless';
  notServed?: string[];
  probe: boolean;
}

function pathStyleOption(value: string): 'slash' | 'slashless' {
  if (value !== 'slash' && value !== 'slashless') throw new InvalidArgumentError("'slash' or 'slashless'");
  return value;
}

/** The options of verify and drift: the profile file's, then the credentials file, the environment and the flags. */
async function targetOptions(options: TargetCommandOptions) {
  const { loadProfile, profileCredentials } = await import('./target-profile.ts');
  const profile = options.profile ? loadProfile(options.profile) : {};
  const api = options.api ?? (profile.api ? apiList(profile.api)[0] : undefined);
  const target = options.target ?? profile.target;
  if (!api || !target) throw new InvalidArgumentError('give --api and --target, or a --profile that has them');
  const credentials = {
    ...profileCredentials(profile),
    ...(options.credentials ? (await import('./verify.ts')).readCredentialsFile(options.credentials) : {}),
    ...options.credential,
  };
  return {
    api,
    target,
    reportDir: options.report,
    credentials,
    pathStyle: options.pathStyle ?? profile.pathStyle,
    notServed: [...(profile.notServed ?? []), ...(options.notServed ?? [])],
    probe: options.probe && profile.probe !== false,
    permanentRecords: profile.permanentRecords === true,
  };
}

const withTargetOptions = (command: Command, reportDir: string) =>
  command
    .option('-a, --api <name>', 'the API to check', (v: string) => apiList(v)[0]!)
    .option(
      '-t, --target <url>',
      'base URL of the API, e.g. http://127.0.0.1:4010/productive or https://api.productive.io',
    )
    .option(
      '-c, --credential <NAME=VALUE>',
      'a credential the suites read (repeatable; see README for the names)',
      credentialOption,
    )
    .option('--credentials <file>', 'credentials as KEY=VALUE lines or a JSON object (environment variables work too)')
    .option(
      '--profile <file>',
      'a target profile (JSON or YAML): api, target, credentials, pathStyle, notServed, probe, permanentRecords (README: Verifying your backend)',
    )
    .option(
      '--path-style <style>',
      "'slash' (paths as the contract writes them) or 'slashless'; detected when not given",
      pathStyleOption,
    )
    .option(
      '--not-served <ids>',
      'operations the target does not serve: operationIds, globs (users_*) or contract paths, comma-separated',
      (v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .option('--no-probe', 'do not probe the target for the operations it serves and its path style')
    .option('-r, --report <dir>', 'where reports are written', reportDir);

const filesOption = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

withTargetOptions(program.command('verify'), 'reports/verify')
  .description(
    "run an API's conformance suites and pacts against a target; a classified report, JUnit XML and JSON under --report",
  )
  .option('--files <paths>', 'suite files to run, comma-separated (default suites/<api>/ and its pacts)', filesOption)
  .action(async (options: TargetCommandOptions & { files?: string[] }) => {
    const { printVerifyReport, verify } = await import('./verify.ts');
    const report = await verify({ ...(await targetOptions(options)), files: options.files });
    printVerifyReport(report, options.report);
    process.exitCode = report.passed ? 0 : 1;
  });

withTargetOptions(program.command('drift'), 'reports/drift')
  .description('run the same scenarios on the in-process mock and on a target; report what differs, grouped by kind')
  .action(async (options: TargetCommandOptions) => {
    const { drift } = await import('./drift.ts');
    const drifts = await drift(await targetOptions(options));
    process.exitCode = drifts.length ? 1 : 0;
  });

withTargetOptions(program.command('record'), 'reports/record')
  .description(
    "record an API's portable scenarios against a real backend (through the validating proxy), secrets stripped, for the offline replay test",
  )
  .option('-o, --out <dir>', 'where exchanges.json is written (default fixtures/<api>/recorded)')
  .option('--files <paths>', 'suite files to run, comma-separated (default suites/<api>/)', filesOption)
  .action(async (options: TargetCommandOptions & { out?: string; files?: string[] }) => {
    const { record } = await import('./record.ts');
    const target = await targetOptions(options);
    const recording = await record({
      api: target.api,
      target: target.target,
      credentials: target.credentials,
      out: options.out ?? `fixtures/${target.api}/recorded`,
      pathStyle: target.pathStyle,
      notServed: target.notServed,
      files: options.files,
    });
    const { passed, failed, skipped } = recording.scenarios;
    console.log(
      `standin record ${recording.api}: ${recording.exchanges.length} exchanges in ${options.out ?? `fixtures/${target.api}/recorded`}/exchanges.json (scenarios ${passed} passed, ${failed} failed, ${skipped} skipped; left out: ${recording.left.notServed} not served, ${recording.left.unrouted} outside the contract)`,
    );
  });

program
  .command('proxy')
  .description("a validating proxy (Prism's router and validators) in front of a real backend")
  .requiredOption('-a, --api <name>', 'the contract to validate against', (v: string) => apiList(v)[0]!)
  .requiredOption('-t, --target <url>', 'base URL of the real API')
  .option('-p, --port <port>', 'port to listen on', port, 4020)
  .option('-H, --host <host>', 'address to bind', '127.0.0.1')
  .option('-r, --report <dir>', 'violations.jsonl is appended here', 'reports/proxy')
  .option('--record <dir>', 'save every exchange here, for `standin serve --replay <dir>`')
  .option(
    '--path-style <style>',
    "'slashless' forwards each path without its trailing slash (djaodjin-saas 1.2.2)",
    pathStyleOption,
    'slash',
  )
  .action(
    async (options: {
      api: string;
      target: string;
      port: number;
      host: string;
      report: string;
      record?: string;
      pathStyle: 'slash' | 'slashless';
    }) => {
      const { validatingProxy } = await import('../server/core/proxy/validating-proxy.ts');
      const proxy = await validatingProxy({
        api: options.api,
        target: options.target,
        reportDir: options.report,
        recordDir: options.record,
        pathStyle: options.pathStyle,
      });
      const server = proxy.app.listen(options.port, options.host, () => {
        console.log(
          `standin proxy: http://${options.host}:${options.port} → ${options.target} (contract: ${options.api})`,
        );
        console.log(`  violations: GET /__standin/violations, appended to ${options.report}/violations.jsonl`);
      });
      const stop = () => {
        console.log(`standin proxy: ${proxy.violations.length} violations`);
        server.close();
        server.closeAllConnections();
        process.exit(proxy.violations.length ? 1 : 0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  );

program
  .command('vendor-drift')
  .description("run an API's suite on the mock and check every 2xx JSON answer against the vendor's own document")
  .requiredOption('-a, --api <name>', 'the API whose suite runs', (v: string) => apiList(v)[0]!)
  .requiredOption('-s, --spec <file>', 'the vendor OpenAPI 3.0 / Swagger 2.0 document (YAML or JSON)')
  .action(async (options: { api: string; spec: string }) => {
    const { vendorDrift } = await import('./vendor-drift.ts');
    process.exitCode = await vendorDrift(options.api, options.spec);
  });

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number, 0 or more');
  return n;
}

program
  .command('seed')
  .description(
    "fill a sandbox of a running Standin with faker data consistent with the fixtures (replaces that API's state)",
  )
  .requiredOption('-a, --api <name>', `the API to fill (${availableApis().join(', ')})`, (v: string) => apiList(v)[0]!)
  .requiredOption('-n, --scale <N>', 'how many records of the main resource to generate', wholeNumber)
  .option('-s, --sandbox <id>', 'the sandbox to fill', 'default')
  .option('-t, --target <url>', 'the running Standin', 'http://127.0.0.1:4010')
  .option('--seed <n>', 'faker seed (same seed, same data)', wholeNumber)
  .option('--json', 'print the result as JSON on stdout (no progress lines)', false)
  .addOption(adminTokenOption("the Standin's admin token, when it was started with one"))
  .action(
    async (options: {
      api: string;
      scale: number;
      sandbox: string;
      target: string;
      seed?: number;
      json: boolean;
      adminToken?: string;
    }) => {
      try {
        const { seed } = await import('./seed.ts');
        const result = await seed({ ...options, quiet: options.json });
        if (options.json) return console.log(JSON.stringify(result, null, 2));
        console.log(
          `${paint('green', 'seeded')} ${result.api} in sandbox ${paint('bold', result.sandbox)} at ${result.target} (${result.durationMs} ms)`,
        );
        for (const [collection, count] of Object.entries(result.after)) {
          const added = count - (result.before[collection] ?? 0);
          if (added)
            console.log(
              `  ${collection.padEnd(20)} ${String(count).padStart(8)}  ${paint(added > 0 ? 'green' : 'yellow', `${added > 0 ? '+' : ''}${added}`)}`,
            );
        }
      } catch (error) {
        if (options.json) console.log(JSON.stringify({ error: (error as Error).message }));
        else console.error(paint('red', `standin seed: ${(error as Error).message}`, process.stderr));
        process.exitCode = 1;
      }
    },
  );

program
  .command('status')
  .description('health of a running Standin: its APIs and sandboxes (exit 1 when it does not answer)')
  .option('-t, --target <url>', 'the running Standin', 'http://127.0.0.1:4010')
  .option('--json', 'print health and sandboxes as JSON', false)
  .addOption(adminTokenOption("the Standin's admin token, when it was started with one"))
  .action(async (options: { target: string; json: boolean; adminToken?: string }) => {
    const admin = `${new URL(options.target).origin}/__standin`;
    const headers: Record<string, string> = options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {};
    try {
      const [health, sandboxes] = await Promise.all(
        ['/health', '/sandboxes'].map(async (path) => {
          const res = await fetch(`${admin}${path}`, { headers });
          if (!res.ok) throw new Error(`GET ${admin}${path} answered ${res.status}`);
          return res.json() as Promise<any>;
        }),
      );
      if (options.json)
        return console.log(JSON.stringify({ ...health, target: new URL(options.target).origin, sandboxes }, null, 2));
      console.log(
        `${paint('green', '●')} standin at ${new URL(options.target).origin}: ${health.status}, up ${health.uptimeSeconds} s, console ${admin}/`,
      );
      for (const api of health.apis)
        console.log(`  ${api.title.padEnd(48)} ${api.mountedAt.padEnd(12)} ${api.operations} operations`);
      for (const sandbox of sandboxes)
        console.log(
          `  sandbox ${paint('bold', sandbox.id.padEnd(24))} clock ${sandbox.now}  ${sandbox.journalEntries} journal entries`,
        );
    } catch (error) {
      const message = `no Standin answers at ${admin} (${((error as Error).cause as Error)?.message ?? (error as Error).message})`;
      if (options.json) console.log(JSON.stringify({ status: 'down', target: options.target, error: message }));
      else console.error(`${paint('red', '●', process.stderr)} ${message}`);
      process.exitCode = 1;
    }
  });

await program.parseAsync();
