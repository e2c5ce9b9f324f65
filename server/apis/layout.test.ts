/**
 * Where things live in a vendor's folder, so an operationId leads to its handler by path alone: a vendor whose
 * contract has several tags keeps each handler in its tag's folder (server/apis/<api>/<tag>/), one with a single tag
 * at its root; feature folders import only from model/ and the vendor's root, never from each other; file names are
 * kebab-case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../core/contract/load.ts';
import { plugins } from './index.ts';

const apisDir = dirname(fileURLToPath(import.meta.url));

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

const sourceFiles = (api: string) =>
  filesUnder(join(apisDir, api)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** The folder of a tag's handlers, relative to the vendor's folder: '' when the contract has one tag. */
function tagFolder(tag: string, tagCount: number): string {
  return tagCount > 1 ? tag.toLowerCase().replace(/[^a-z0-9]+/g, '-') : '';
}

/** The names a source file exports as functions or constants. */
function exportedNames(source: string): string[] {
  return [...source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((m) => m[1]!);
}

/** The relative module paths a source file imports from. */
const relativeImports = (source: string): string[] =>
  [...source.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);

describe.each(plugins.map((p) => p.name))('%s folder layout', (api) => {
  const contract = loadContract(api);
  const tags = [...new Set(contract.operations.flatMap((op) => op.spec.tags ?? []))];
  const definedIn = new Map<string, string[]>();
  for (const file of sourceFiles(api)) {
    for (const name of exportedNames(readFileSync(join(apisDir, api, file), 'utf8')))
      definedIn.set(name, [...(definedIn.get(name) ?? []), file]);
  }

  it.each(contract.operations.map((op) => [op.operationId, op.spec.tags ?? []] as const))(
    '%s lives in its tag’s folder',
    (operationId, opTags) => {
      expect(opTags, 'an operation has exactly one tag').toHaveLength(1);
      const files = definedIn.get(operationId) ?? [];
      expect(files, `one file exports ${operationId}`).toHaveLength(1);
      expect(dirname(files[0]!).replace(/^\.$/, '')).toBe(tagFolder(opTags[0]!, tags.length));
    },
  );

  it('feature folders import nothing from one another', () => {
    const features = new Set(tags.map((t) => tagFolder(t, tags.length)).filter(Boolean));
    const crossings: string[] = [];
    for (const file of sourceFiles(api)) {
      const from = file.split(sep)[0]!;
      if (!features.has(from)) continue;
      for (const spec of relativeImports(readFileSync(join(apisDir, api, file), 'utf8'))) {
        const to = relative(join(apisDir, api), resolve(join(apisDir, api, dirname(file)), spec)).split(sep)[0]!;
        if (to !== from && features.has(to)) crossings.push(`${file} imports ${spec}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('names its files in kebab-case', () => {
    const misnamed = filesUnder(join(apisDir, api)).filter(
      (f) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)*$/.test(f.split(sep).pop()!),
    );
    expect(misnamed).toEqual([]);
  });
});
