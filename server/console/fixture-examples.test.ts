import { describe, expect, it } from 'vitest';
import { fixtureValuesByName, withFixtureExamples } from './fixture-examples.ts';

const contract = {
  components: {
    schemas: {
      Customer: {
        type: 'object',
        properties: {
          country_id: { type: 'integer' },
          zip_code: { type: 'string', pattern: '^[0-9]{5}$' },
          email: { type: 'string', format: 'email' },
          currency: { type: 'string', enum: ['USD', 'EUR'] },
          name: { type: 'string', example: 'as written' },
          description: { type: 'object', properties: { code: { type: ['string', 'null'], maxLength: 3 } } },
        },
      },
    },
    parameters: { Workspace: { name: 'workspace_id', in: 'path', required: true, schema: { type: 'integer' } } },
  },
};

describe('withFixtureExamples', () => {
  const values = fixtureValuesByName([
    [{ zip_code: 'ABC', code: 'TOO-LONG' }],
    { customers: { 1: { country_id: 235, zip_code: '94105', email: 'a@b.test', code: 'US', currency: 'GBP' } } },
    { workspaces: [{ workspace_id: '56' }, { workspace_id: 56 }] },
  ]);
  const shown = withFixtureExamples(contract, values);
  const properties = shown.components.schemas.Customer.properties as Record<string, Record<string, unknown>>;

  it('gives a property the first fixture value of its name that its schema accepts', () => {
    expect(properties.country_id!.example).toBe(235);
    expect(properties.zip_code!.example).toBe('94105'); // 'ABC' breaks the pattern
    expect(properties.email!.example).toBe('a@b.test');
    expect((properties.description!.properties as Record<string, { example?: unknown }>).code!.example).toBe('US');
    expect(shown.components.parameters.Workspace).toMatchObject({ example: 56 }); // '56' is not an integer
  });

  it('shows null for a nullable property the fixtures never fill, nothing for another', () => {
    const bare = withFixtureExamples(contract, new Map());
    const props = bare.components.schemas.Customer.properties as Record<string, Record<string, unknown>>;
    expect((props.description!.properties as Record<string, { example?: unknown }>).code).toHaveProperty(
      'example',
      null,
    );
    expect(props.country_id).not.toHaveProperty('example');
  });

  it('keeps what the contract says: its examples and enums, and the document itself', () => {
    expect(properties.name!.example).toBe('as written');
    expect(properties.currency).not.toHaveProperty('example');
    expect(contract.components.schemas.Customer.properties.country_id).toEqual({ type: 'integer' });
  });
});
