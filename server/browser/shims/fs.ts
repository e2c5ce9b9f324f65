/// <reference types="vite/client" />
/**
 * node:fs in the browser: the files the core reads at run time (contracts, fixtures, state schemas), put in the
 * bundle by Vite at build time and read by their path from the package root (`/contracts/togai/openapi.yaml`, as
 * the plugin makes module URLs); every write fails, as on a read-only disk (the start-up cache then goes without).
 */
const globbed = import.meta.glob<string>(
  [
    '../../../contracts/*/openapi.yaml',
    '../../../fixtures/*/*.json',
    '../../apis/*/state.schema.json',
    '../../core/validator/compile.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);
const bundled: Record<string, string> = Object.fromEntries(
  Object.entries(globbed).map(([path, text]) => [new URL(path, 'file:///server/browser/shims/').pathname, text]),
);

function noSuchFile(path: unknown): Error {
  return Object.assign(new Error(`ENOENT: no such file in the browser bundle, '${String(path)}'`), { code: 'ENOENT' });
}

function readOnly(): never {
  throw Object.assign(new Error('EROFS: the browser has no file system to write to'), { code: 'EROFS' });
}

const pathOf = (file: unknown) => (file instanceof URL ? file.pathname : String(file));

export function readFileSync(file: unknown): string {
  const text = bundled[pathOf(file)];
  if (text === undefined) throw noSuchFile(file);
  return text;
}

export const existsSync = (file: unknown): boolean => pathOf(file) in bundled;
export function readdirSync(dir: unknown): never {
  throw noSuchFile(dir);
}

export function statSync(file: unknown): never {
  throw noSuchFile(file);
}
export const writeFileSync = readOnly;
export const appendFileSync = readOnly;
export const mkdirSync = readOnly;
export const renameSync = readOnly;
export const rmSync = readOnly;
export const unlinkSync = readOnly;
export const linkSync = readOnly;
