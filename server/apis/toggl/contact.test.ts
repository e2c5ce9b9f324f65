/** Contact details: what Toggl accepts, in the order it checks. */
import { describe, expect, it } from 'vitest';
import { togglFixtures } from '../../../fixtures/toggl/index.ts';
import { checkContact } from './contact.ts';

const fixtures = togglFixtures();

describe('contact rules', () => {
  const ok = {
    company_name: 'A',
    company_address: 'B',
    contact_email: 'a@b.test',
    country_id: 235,
    country_subdivision_id: 3944,
    zip_code: '94105-1234',
  };
  const check = (input: object) => checkContact(input, fixtures.countries, fixtures.subdivisions);

  it('accepts a complete US contact and trims what it keeps', () => {
    expect(check({ ...ok, company_name: '  A  ' })).toEqual({
      contact: expect.objectContaining({
        company_name: 'A',
        country_subdivision_id: 3944,
        zip_code: '94105-1234',
        vat_number: '',
      }),
    });
  });

  it('checks in the order Toggl does and stops at the first problem', () => {
    expect(check({})).toEqual({ error: 'the company_name field is required' });
    expect(check({ ...ok, contact_email: 'x y@z' })).toEqual({ error: 'Invalid e-mail: x y@z' });
    expect(check({ ...ok, zip_code: '10118' })).toEqual({ error: 'invalid zip_code' });
    expect(check({ ...ok, country_id: 82, country_subdivision_id: undefined, zip_code: '' })).toEqual({
      contact: expect.objectContaining({ country_id: 82 }),
    });
  });
});
