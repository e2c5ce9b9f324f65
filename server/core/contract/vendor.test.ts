/** The vendor-document judge: schema conversion, routing by the vendor's paths, and the verdicts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVendorDocument, vendorProblems, vendorSchema } from './vendor.ts';

const dir = mkdtempSync(join(tmpdir(), 'standin-vendor-'));

describe('vendorSchema', () => {
  it('turns nullable and boolean exclusive bounds into JSON Schema 2020-12', () => {
    expect(vendorSchema({ type: 'string', nullable: true, example: 'x' }, {})).toEqual({ type: ['string', 'null'] });
    expect(vendorSchema({ type: 'number', minimum: 0, exclusiveMinimum: true }, {})).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(vendorSchema({ $ref: '#/definitions/models.Plan' }, {})).toEqual({ $ref: 'vendor:models.Plan' });
  });

  it('reads allOf of closed members as closed over their union', () => {
    const definitions = {
      Base: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' } } },
    };
    const schema = vendorSchema(
      { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { name: { type: 'string' } } }] },
      definitions,
    );
    expect(schema).toMatchObject({
      unevaluatedProperties: false,
      allOf: [{ properties: { id: { type: 'string' } } }, {}],
    });
    expect((schema as { allOf: Record<string, unknown>[] }).allOf[0]?.additionalProperties).toBeUndefined();
  });
});

describe('vendor documents', () => {
  const swagger = join(dir, 'swagger.json');
  writeFileSync(
    swagger,
    JSON.stringify({
      swagger: '2.0',
      basePath: '/api/v9',
      paths: {
        '/plans/{id}': {
          get: { operationId: 'get-plan', responses: { 200: { schema: { $ref: '#/definitions/models.Plan' } } } },
        },
      },
      definitions: {
        'models.Plan': {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'integer' }, name: { type: 'string', 'x-nullable': true } },
        },
      },
    }),
  );
  const openapi = join(dir, 'openapi.yaml');
  writeFileSync(
    openapi,
    [
      'openapi: 3.0.3',
      'paths:',
      '  /accounts/{id}:',
      '    get:',
      '      operationId: getAccount',
      '      responses:',
      "        '200': { $ref: '#/components/responses/Account' }",
      'components:',
      '  responses:',
      '    Account:',
      '      content:',
      '        application/json:',
      "          schema: { $ref: '#/components/schemas/Account' }",
      '  schemas:',
      '    Account: { type: object, required: [id], properties: { id: { type: string, maxLength: 5 }, tags: { type: array, nullable: true, items: { type: string } } } }',
    ].join('\n'),
  );

  it('judges a Swagger 2.0 answer under its basePath', () => {
    const doc = loadVendorDocument(swagger);
    expect(vendorProblems(doc, 'GET', '/api/v9/plans/7', 200, { id: 7, name: null })).toEqual([]);
    expect(vendorProblems(doc, 'GET', '/api/v9/plans/7', 200, { id: '7' })).toEqual([
      expect.objectContaining({ pointer: '/id', keyword: 'type' }),
    ]);
    expect(vendorProblems(doc, 'GET', '/api/v9/plans/7', 201, { id: 7 })).toEqual([
      expect.objectContaining({ keyword: 'status' }),
    ]);
    expect(vendorProblems(doc, 'GET', '/api/v9/other', 200, {})).toBeUndefined();
  });

  it('judges an OpenAPI 3.0 answer through response refs', () => {
    const doc = loadVendorDocument(openapi);
    expect(vendorProblems(doc, 'GET', '/accounts/A1', 200, { id: 'A1', tags: null })).toEqual([]);
    expect(vendorProblems(doc, 'GET', '/accounts/A1', 200, { id: 'TOO-LONG' })).toEqual([
      expect.objectContaining({ pointer: '/id', keyword: 'maxLength' }),
    ]);
  });
});
