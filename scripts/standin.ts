#!/usr/bin/env -S npx tsx
import { Command, InvalidArgumentError } from 'commander';
import { availableApis, createStandin } from '../server/app.ts';
import { vendorDrift } from './vendor-drift.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

function apiList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !availableApis().includes(n));
  if (unknown.length) throw new InvalidArgumentError(`unknown API ${unknown.join(', ')}; available: ${availableApis().join(', ')}`);
  return names;
}

const program = new Command('standin').description('Stateful mock server and conformance suites for billing APIs');

program
  .command('serve')
  .description('serve the APIs, each at /<api>, with the admin API at /__standin/')
  .option('-p, --port <port>', 'port to listen on', port, 4010)
  .option('-H, --host <host>', 'address to bind', '127.0.0.1')
  .option('-a, --api <names>', `comma-separated APIs to serve (${availableApis().join(', ')})`, apiList)
  .option('-d, --data <dir>', 'persist sandboxes as JSON files in this directory (default: in memory)')
  .option('--strict', 'answer 500 when a response breaks the contract (a Standin bug)', false)
  .action(async (options: { port: number; host: string; api?: string[]; data?: string; strict: boolean }) => {
    const standin = await createStandin({ apis: options.api, dataDir: options.data, strict: options.strict });
    const server = standin.app.listen(options.port, options.host, () => {
      const address = server.address();
      const base = `http://${options.host}:${typeof address === 'object' && address ? address.port : options.port}`;
      console.log(`standin: serving on ${base}${options.data ? ` (data in ${options.data})` : ' (in memory)'}`);
      for (const api of standin.apis)
        console.log(`  ${api.plugin.title.padEnd(48)} ${base}/${api.plugin.name}  (${api.contract.operations.length} operations)`);
      console.log(`  admin API                                        ${base}/__standin/health`);
    });
    const stop = async (signal: string) => {
      console.log(`standin: ${signal}, flushing and stopping`);
      server.close();
      server.closeAllConnections();
      await standin.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('vendor-drift')
  .description("run an API's suite on the mock and check every 2xx JSON answer against the vendor's own document")
  .requiredOption('-a, --api <name>', 'the API whose suite runs', (v: string) => apiList(v)[0]!)
  .requiredOption('-s, --spec <file>', 'the vendor OpenAPI 3.0 / Swagger 2.0 document (YAML or JSON)')
  .action((options: { api: string; spec: string }) => {
    process.exitCode = vendorDrift(options.api, options.spec);
  });

await program.parseAsync();
