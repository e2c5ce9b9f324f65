/**
 * node:module's createRequire in the browser: the modules the core loads lazily with require (Ajv, its formats,
 * its standalone code generator and the runtime that generated code requires, YAML), bundled in. Each is what
 * Node's require gives: the module's exports object (Vite's default import of a CommonJS module), or the
 * function a module exports as a whole.
 */
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvPackage from 'ajv/package.json' with { type: 'json' };
import equal from 'ajv/dist/runtime/equal.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import uri from 'ajv/dist/runtime/uri.js';
import ValidationError from 'ajv/dist/runtime/validation_error.js';
import standalone from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { fastFormats, fullFormats } from 'ajv-formats/dist/formats.js';
import formatsPackage from 'ajv-formats/package.json' with { type: 'json' };
import * as yaml from 'yaml';

const modules: Record<string, unknown> = {
  ajv: { Ajv },
  'ajv/dist/2020.js': { Ajv2020 },
  'ajv/package.json': ajvPackage,
  'ajv/dist/runtime/equal': equal,
  'ajv/dist/runtime/ucs2length': ucs2length,
  'ajv/dist/runtime/uri': uri,
  'ajv/dist/runtime/validation_error': ValidationError,
  'ajv/dist/standalone/index.js': standalone,
  'ajv-formats': addFormats,
  'ajv-formats/dist/formats': { fullFormats, fastFormats },
  'ajv-formats/package.json': formatsPackage,
  yaml,
};

export function createRequire(_from: unknown) {
  return (name: string): unknown => {
    if (!(name in modules))
      throw Object.assign(new Error(`Cannot find module '${name}' in the browser bundle`), {
        code: 'MODULE_NOT_FOUND',
      });
    return modules[name];
  };
}
