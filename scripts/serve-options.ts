/**
 * The options of `standin serve`, each declared once and read from three places: a flag, a STANDIN_* environment
 * variable, and standin.config.json (or .yaml) in the working directory; the flag wins over the environment, which
 * wins over the file. A key the file does not know, or a value that does not parse, is an error naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { availableApis } from '../server/app.ts';
import { DEFAULT_MAX_SANDBOXES } from '../server/core/sandbox/store.ts';
import { DEFAULT_LEASE_MS, DEFAULT_PREFIX } from '../server/core/store-redis/redis-store.ts';

export function port(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

function redisUrl(value: string): string {
  if (!/^redis:\/\/[^/\s]*(\/\d{1,2})?$/.test(value)) throw new InvalidArgumentError('redis://host:port[/db]');
  return value;
}

function leaseMs(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isInteger(n) || n < 1_000 || n > 600_000)
    throw new InvalidArgumentError('milliseconds, from 1000 to 600000');
  return n;
}

function oneOf<T extends string>(...values: T[]) {
  return (value: string): T => {
    if (!(values as string[]).includes(value)) throw new InvalidArgumentError(values.map((v) => `'${v}'`).join(' or '));
    return value as T;
  };
}

export function apiList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !availableApis().includes(n));
  if (unknown.length)
    throw new InvalidArgumentError(`unknown API ${unknown.join(', ')}; available: ${availableApis().join(', ')}`);
  if (!names.length) throw new InvalidArgumentError(`API names separated by commas: ${availableApis().join(', ')}`);
  return names;
}

function hostList(value: string): string[] | 'all' {
  const hosts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!hosts.length)
    throw new InvalidArgumentError("host names separated by commas ('.example.test' with its subdomains), or 'all'");
  return hosts.includes('all') ? 'all' : hosts;
}

export function token(value: string): string {
  if (!value.trim()) throw new InvalidArgumentError('a token that is not empty');
  return value;
}

function strictness(value: string): boolean | 'warn' {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  if (value === 'warn') return 'warn';
  throw new InvalidArgumentError("'true' (a broken response is a 500), 'warn' (logged, answered as it is) or 'false'");
}

export type LogFormat = 'pretty' | 'json' | 'off';

export interface ServeOptions {
  port: number;
  host: string;
  api?: string[];
  data?: string;
  store?: string;
  storePrefix: string;
  storeLease: number;
  strict: boolean | 'warn';
  maxSandboxes: number;
  onCorrupt: 'fail' | 'fixtures';
  requestTimeout: number;
  adminToken?: string | false;
  allowedHosts?: string[] | 'all';
  replay?: string;
  log?: LogFormat;
}

type Key = keyof ServeOptions;

/** The admin token option, shared by serve and by the commands that call a running Standin's admin API. */
export const adminTokenOption = (description: string) =>
  new Option('--admin-token <token>', description).env('STANDIN_ADMIN_TOKEN').argParser(token);

const envName = (key: Key) => `STANDIN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** One option per key: its flag, its environment variable (STANDIN_ and the key in capitals), its parser, its default. */
function serveOption(
  key: Key,
  flags: string,
  description: string,
  parse?: (value: string) => unknown,
  fallback?: unknown,
): Option {
  const option = new Option(flags, description).env(envName(key));
  if (parse) option.argParser(parse);
  if (fallback !== undefined) option.default(fallback);
  return option;
}

export function serveOptions(): Option[] {
  return [
    serveOption('port', '-p, --port <port>', 'port to listen on', port, 4010),
    serveOption('host', '-H, --host <host>', 'address to bind', undefined, '127.0.0.1'),
    serveOption('api', '-a, --api <names>', `comma-separated APIs to serve (${availableApis().join(', ')})`, apiList),
    serveOption(
      'data',
      '-d, --data <dir>',
      'persist sandboxes as JSON files in this directory (default: in memory); it must be writable, and one server at a time uses it (a lock file names the holder)',
    ),
    serveOption(
      'store',
      '--store <url>',
      'keep sandboxes in Redis (redis://host:port[/db]), shared by every Standin given the same store: one serves a sandbox at a time, by a lease (see docs/serving.md)',
      redisUrl,
    ),
    serveOption('storePrefix', '--store-prefix <prefix>', 'put this before every Redis key', undefined, DEFAULT_PREFIX),
    serveOption(
      'storeLease',
      '--store-lease <ms>',
      "how long a Standin's hold on a sandbox lasts unless renewed: a dead Standin's sandboxes are served by another after this",
      leaseMs,
      DEFAULT_LEASE_MS,
    ),
    serveOption(
      'strict',
      '--strict [mode]',
      "a response that breaks the contract (a Standin bug): 'true' answers 500, 'warn' logs it and answers as it is",
      strictness,
      false,
    ),
    serveOption(
      'maxSandboxes',
      '--max-sandboxes <n>',
      'keep at most n sandboxes in memory, dropping the least recently used (reloaded from --data on demand; without --data it starts again from the fixtures)',
      positive,
      DEFAULT_MAX_SANDBOXES,
    ),
    serveOption(
      'onCorrupt',
      '--on-corrupt <action>',
      "a sandbox file that does not parse: 'fail' (stop, naming it) or 'fixtures' (move it aside as <file>.corrupt-<time>, start that sandbox from the fixtures)",
      oneOf('fail', 'fixtures'),
      'fail',
    ),
    serveOption(
      'requestTimeout',
      '--request-timeout <ms>',
      'a request (headers and body) must arrive within this; slower clients get 408 and are disconnected',
      positive,
      30_000,
    ),
    adminTokenOption(
      'require Authorization: Bearer <token> on the admin API and the console (needed when --host is beyond loopback)',
    ),
    new Option(
      '--no-admin-token',
      'serve the admin API without a token on a --host beyond loopback (anyone who reaches the port may reset, read or delete sandboxes)',
    ),
    serveOption(
      'allowedHosts',
      '--allowed-hosts <names>',
      "host names the admin API answers to besides IP addresses and localhost ('.example.test' with its subdomains; 'all': any)",
      hostList,
    ),
    serveOption(
      'replay',
      '--replay <dir>',
      'answer the exchanges `standin proxy --record <dir>` saved, as recorded, before the mock',
    ),
    serveOption(
      'log',
      '--log <format>',
      "one line per request: 'pretty' (default on a terminal), 'json' (JSON lines, default otherwise) or 'off'",
      oneOf('pretty', 'json', 'off'),
    ),
  ];
}

const KEYS: Key[] = [
  'port',
  'host',
  'api',
  'data',
  'store',
  'storePrefix',
  'storeLease',
  'strict',
  'maxSandboxes',
  'onCorrupt',
  'requestTimeout',
  'adminToken',
  'allowedHosts',
  'replay',
  'log',
];

export const CONFIG_FILES = ['standin.config.json', 'standin.config.yaml', 'standin.config.yml'];

export class ConfigError extends Error {}

/** The config file's keys and values as written (JSON or YAML); an error names the file and what is wrong. */
export function readConfigFile(file: string): Record<string, unknown> {
  let document: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document))
    throw new ConfigError(`${file}: an object of serve options (${KEYS.join(', ')})`);
  const unknown = Object.keys(document).filter((key) => !(KEYS as string[]).includes(key));
  if (unknown.length)
    throw new ConfigError(
      `${file}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; the keys are ${KEYS.join(', ')}`,
    );
  return document as Record<string, unknown>;
}

/** A file value as the flag's text (lists joined by commas), parsed by the flag's own parser. */
function parseFileValue(option: Option, value: unknown): unknown {
  if (option.attributeName() === 'adminToken' && value === false) return false;
  if (Array.isArray(value)) value = value.join(',');
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new InvalidArgumentError('a string, a number, a boolean or a list');
  const parse = (option as Option & { parseArg?: (value: string, previous: unknown) => unknown }).parseArg;
  return parse ? parse(String(value), undefined) : String(value);
}

/** The config file to read: --config (or STANDIN_CONFIG), else the first of CONFIG_FILES in the working directory. */
export function configFile(given: string | undefined): string | undefined {
  if (given) {
    if (!existsSync(given)) throw new ConfigError(`${given}: no such config file`);
    return given;
  }
  return CONFIG_FILES.find((f) => existsSync(f));
}

/** The serve command's options: its flags and environment variables (commander read them), then the config file. */
export function resolveServeOptions(command: Command, file: string | undefined): ServeOptions {
  const values = file ? readConfigFile(file) : {};
  for (const [key, value] of Object.entries(values)) {
    const source = command.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') continue;
    const option = command.options.find((o) => o.attributeName() === key && !o.negate)!;
    try {
      command.setOptionValueWithSource(key, parseFileValue(option, value), 'config');
    } catch (error) {
      throw new ConfigError(`${file}: "${key}": ${(error as Error).message}`);
    }
  }
  return command.opts<ServeOptions>();
}
