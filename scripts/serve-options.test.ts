import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { configFile, readConfigFile, resolveServeOptions, serveOptions } from './serve-options.ts';

const dir = mkdtempSync(join(tmpdir(), 'standin-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** `standin serve` with these flags and environment variables, then the config file; what it would serve with. */
function resolve(argv: string[], env: Record<string, string>, config?: string) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const command = new Command('serve').exitOverride().configureOutput({ writeErr: () => {} });
    for (const option of serveOptions()) command.addOption(option);
    command.parse(argv, { from: 'user' });
    return resolveServeOptions(command, config);
  } finally {
    for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('serve options from a config file, STANDIN_* variables and flags', () => {
  it('has a default for what is given nowhere', () => {
    expect(resolve([], {})).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      strict: false,
      maxSandboxes: 1000,
      onCorrupt: 'fail',
      requestTimeout: 30_000,
      storePrefix: 'standin:',
      storeLease: 5_000,
    });
  });

  it('reads every serve option from the file, in JSON or YAML, parsed as its flag is', () => {
    const written = {
      port: 4100,
      host: '127.0.0.2',
      api: ['togai', 'toggl'],
      data: 'var/standin',
      store: 'redis://10.0.0.5:6380/2',
      storePrefix: 'ci:',
      storeLease: 3000,
      strict: 'warn',
      maxSandboxes: 5,
      onCorrupt: 'fixtures',
      requestTimeout: 900,
      adminToken: 's3cret',
      allowedHosts: '.example.test',
      replay: 'recorded',
      log: 'json',
    };
    const json = file('all.json', JSON.stringify(written));
    const expected = { ...written, allowedHosts: ['.example.test'] };
    expect(resolve([], {}, json)).toEqual(expected);
    const yaml = file(
      'all.yaml',
      'port: 4100\nhost: 127.0.0.2\napi: [togai, toggl]\ndata: var/standin\nstore: redis://10.0.0.5:6380/2\nstorePrefix: "ci:"\nstoreLease: 3000\nstrict: warn\nmaxSandboxes: 5\nonCorrupt: fixtures\nrequestTimeout: 900\nadminToken: s3cret\nallowedHosts: [.example.test]\nreplay: recorded\nlog: json\n',
    );
    expect(resolve([], {}, yaml)).toEqual(expected);
    expect(resolve([], {}, file('off.yaml', 'adminToken: false\nstrict: true\n'))).toMatchObject({
      adminToken: false,
      strict: true,
    });
  });

  it('reads every serve option from its STANDIN_* variable', () => {
    const env = {
      STANDIN_PORT: '4200',
      STANDIN_HOST: '::1',
      STANDIN_API: 'productive',
      STANDIN_DATA: 'd',
      STANDIN_STORE: 'redis://redis:6379',
      STANDIN_STORE_PREFIX: 'p:',
      STANDIN_STORE_LEASE: '2000',
      STANDIN_STRICT: 'true',
      STANDIN_MAX_SANDBOXES: '7',
      STANDIN_ON_CORRUPT: 'fixtures',
      STANDIN_REQUEST_TIMEOUT: '1000',
      STANDIN_ADMIN_TOKEN: 't',
      STANDIN_ALLOWED_HOSTS: 'all',
      STANDIN_REPLAY: 'r',
      STANDIN_LOG: 'off',
    };
    expect(resolve([], env)).toEqual({
      port: 4200,
      host: '::1',
      api: ['productive'],
      data: 'd',
      store: 'redis://redis:6379',
      storePrefix: 'p:',
      storeLease: 2000,
      strict: true,
      maxSandboxes: 7,
      onCorrupt: 'fixtures',
      requestTimeout: 1000,
      adminToken: 't',
      allowedHosts: 'all',
      replay: 'r',
      log: 'off',
    });
    expect(resolve([], { STANDIN_STRICT: 'false' }).strict).toBe(false);
  });

  it('takes a flag over the environment, and the environment over the file', () => {
    const config = file('precedence.json', JSON.stringify({ port: 1111, api: 'togai', strict: true, log: 'json' }));
    expect(resolve([], { STANDIN_PORT: '2222', STANDIN_STRICT: 'warn' }, config)).toMatchObject({
      port: 2222,
      api: ['togai'],
      strict: 'warn',
      log: 'json',
    });
    expect(
      resolve(
        ['--port', '3333', '--strict', '--api', 'toggl'],
        { STANDIN_PORT: '2222', STANDIN_STRICT: 'warn' },
        config,
      ),
    ).toMatchObject({ port: 3333, api: ['toggl'], strict: true, log: 'json' });
    expect(
      resolve(
        ['--no-admin-token'],
        { STANDIN_ADMIN_TOKEN: 'from-env' },
        file('token.json', '{"adminToken":"from-file"}'),
      ).adminToken,
    ).toBe(false);
  });

  it('names an unknown key of the file, and the key whose value does not parse', () => {
    expect(() => readConfigFile(file('unknown.json', '{"port": 1, "prot": 2, "verbose": true}'))).toThrow(
      /unknown.json: unknown key "prot", "verbose"; the keys are port, host, api/,
    );
    expect(() => resolve([], {}, file('bad-port.yaml', 'port: eighty\n'))).toThrow(
      /bad-port.yaml: "port": a port is a whole number/,
    );
    expect(() => resolve([], {}, file('bad-api.json', '{"api": ["stripe"]}'))).toThrow(
      /bad-api.json: "api": unknown API stripe/,
    );
    expect(() => resolve([], {}, file('bad-log.json', '{"log": "verbose"}'))).toThrow(
      /"log": 'pretty' or 'json' or 'off'/,
    );
    expect(() => resolve([], {}, file('bad-type.json', '{"data": {"dir": "x"}}'))).toThrow(
      /"data": a string, a number, a boolean or a list/,
    );
    expect(() => resolve([], {}, file('bad-store.json', '{"store": "http://redis:6379"}'))).toThrow(
      /"store": redis:\/\/host:port\[\/db\]/,
    );
    expect(() => resolve([], { STANDIN_STORE_LEASE: '50' })).toThrow(/from env 'STANDIN_STORE_LEASE' is invalid/);
    expect(() => readConfigFile(file('list.yaml', '- port: 1\n'))).toThrow(/list.yaml: an object of serve options/);
    expect(() => readConfigFile(file('broken.json', '{"port": '))).toThrow(/broken.json: /);
    expect(() => resolve([], { STANDIN_PORT: 'x' })).toThrow(/from env 'STANDIN_PORT' is invalid/);
    expect(() => resolve([], { STANDIN_STRICT: 'yes' })).toThrow(/from env 'STANDIN_STRICT' is invalid/);
  });

  it('finds standin.config.json or .yaml in the working directory, or the file it is given', () => {
    const cwd = process.cwd();
    const project = mkdtempSync(join(tmpdir(), 'standin-project-'));
    try {
      process.chdir(project);
      expect(configFile(undefined)).toBeUndefined();
      writeFileSync('standin.config.yaml', 'port: 1\n');
      expect(configFile(undefined)).toBe('standin.config.yaml');
      expect(() => configFile('missing.json')).toThrow('missing.json: no such config file');
    } finally {
      process.chdir(cwd);
    }
  });
});
