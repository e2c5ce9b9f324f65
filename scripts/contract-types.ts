#!/usr/bin/env -S npx tsx
/**
 * Writes server/apis/<api>/contract.d.ts from contracts/<api>/openapi.yaml with openapi-typescript, so an
 * operation's parameters, body and replies are written once, in the contract, and its handler is typed from them.
 * `npx tsx scripts/contract-types.ts` after changing a contract; `--check` exits 1 when a file is not up to date
 * (server/apis/contract-types.test.ts runs the same comparison).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../', import.meta.url));
export const typesFile = (api: string) => `${root}server/apis/${api}/contract.d.ts`;
const contractFile = (api: string) => `${root}contracts/${api}/openapi.yaml`;
const apis = () =>
  readdirSync(`${root}server/apis`, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

/**
 * The contract without the `x-` notes written among an operation's responses: OpenAPI allows them there, but
 * openapi-typescript 7.13 reads every key of a responses object as a response and fails on them.
 */
function withoutResponseNotes(contract: OpenAPI3): OpenAPI3 {
  for (const item of Object.values(contract.paths ?? {}))
    for (const operation of Object.values(item))
      if (operation && typeof operation === 'object' && 'responses' in operation)
        for (const key of Object.keys(operation.responses ?? {}))
          if (key.startsWith('x-')) delete operation.responses[key];
  return contract;
}

/** The text contract.d.ts of one API should hold. */
export async function generateContractTypes(api: string): Promise<string> {
  const contract = withoutResponseNotes(parse(readFileSync(contractFile(api), 'utf8')) as OpenAPI3);
  const nodes = await openapiTS(contract, { silent: true });
  return `${COMMENT_HEADER}${astToString(nodes)}`;
}

/** The APIs whose contract.d.ts differs from what their contract generates (and rewrites them unless `check`). */
export async function staleContractTypes(check: boolean): Promise<string[]> {
  const stale: string[] = [];
  for (const api of apis()) {
    const text = await generateContractTypes(api);
    let current = '';
    try {
      current = readFileSync(typesFile(api), 'utf8');
    } catch {
      // not written yet
    }
    if (current === text) continue;
    stale.push(api);
    if (!check) writeFileSync(typesFile(api), text);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = await staleContractTypes(check);
  console.log(
    stale.length
      ? `${check ? 'not up to date' : 'written'}: ${stale.map(typesFile).join(', ')}`
      : 'contract types up to date',
  );
  process.exitCode = check && stale.length ? 1 : 0;
}
