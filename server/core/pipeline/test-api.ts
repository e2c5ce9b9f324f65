/** A two-operation API for the stages' tests: its errors say which ErrorFormat method made them and with what. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract } from '../contract/load.ts';
import { ApiError, type ApiPlugin, type ErrorFormat } from '../plugin.ts';
import { type MountedApi, mountApi } from './mount.ts';

export const testErrors: ErrorFormat = {
  invalidRequest: (problems) => new ApiError(400, { kind: 'invalidRequest', problems }),
  notFound: (method, path, allowed) => new ApiError(allowed ? 405 : 404, { kind: 'notFound', method, path, allowed }),
  payloadTooLarge: (limitBytes) => new ApiError(413, { kind: 'payloadTooLarge', limitBytes }),
  fault: (status, message) => new ApiError(status, { kind: 'fault', message }, { 'X-Vendor': 'fault' }),
  unavailable: (message) => new ApiError(503, { kind: 'unavailable', message }),
  gatewayTimeout: (message) => new ApiError(504, { kind: 'gateway-timeout', message }),
  internalError: (message) => new ApiError(500, { kind: 'internalError', message }),
};

const document = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1' },
  components: {
    securitySchemes: {
      basicAuth: { type: 'http', scheme: 'basic' },
      key: { type: 'apiKey', in: 'header', name: 'X-Key' },
    },
  },
  paths: {
    '/list/': {
      get: {
        operationId: 'list_things',
        responses: {
          '200': { description: 'the things', content: { 'application/json': { schema: { type: 'array' } } } },
        },
      },
    },
    '/things/{id}': {
      get: {
        operationId: 'get_thing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'a thing',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
              },
            },
          },
        },
      },
      put: {
        operationId: 'put_thing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
            },
          },
        },
        responses: {
          '204': { description: 'stored' },
          '4XX': { description: 'refused', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
  },
};

export interface ThingsState {
  things: Record<string, { name: string }>;
}

/** The contract is written to a file of its own (loadContract reads files); the plugin's parts can be replaced. */
export function testApi(plugin: Partial<ApiPlugin<ThingsState, string>> = {}): MountedApi {
  const file = join(mkdtempSync(join(tmpdir(), 'standin-pipeline-')), 'openapi.yaml');
  writeFileSync(file, JSON.stringify(document));
  return mountApi(
    {
      name: 'things',
      title: 'Things',
      contentType: 'application/json',
      fixtures: () => ({ things: {} }),
      authenticate: () => 'caller',
      errors: testErrors,
      handlers: {
        list_things: () => ({ status: 200, body: [] }),
        get_thing: (ctx) => ({ status: 200, body: { id: ctx.params.id } }),
        put_thing: () => ({ status: 204 }),
      },
      ...plugin,
    },
    loadContract('things', file),
  );
}
