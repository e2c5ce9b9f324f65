/** The contact-detail rules Toggl applies before saving a customer's billing contact, with its messages. */
import type { components } from './contract.d.ts';
import type { Country, Subdivision } from './state.ts';
import { entryOf } from '../../core/records.ts';

export const US_COUNTRY_ID = 235;

/** A contact as a request gives it: checked here field by field, with Toggl's messages. */
export type ContactInput = Partial<components['schemas']['SubscriptionContactDetailRequest']>;

export interface CleanContact {
  company_name: string;
  company_address: string;
  company_city: string;
  contact_email: string;
  contact_person: string;
  country_id: number;
  country_subdivision_id: number | null;
  zip_code: string;
  vat_number: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const US_ZIP = /^\d{5}(-\d{4})?$/;

const text = (value: string | undefined) => (value ?? '').trim();

/** The first rule the input breaks, as Toggl words it; or the cleaned contact when it passes. */
export function checkContact(
  input: ContactInput,
  countries: Record<string, Country>,
  subdivisions: Record<string, Subdivision>,
): { error: string } | { contact: CleanContact } {
  if (!text(input.company_name)) return { error: 'the company_name field is required' };
  if (!text(input.company_address)) return { error: 'the company_address field is required' };
  const email = text(input.contact_email);
  if (!email) return { error: 'Missing e-mail' };
  if (!EMAIL.test(email)) return { error: `Invalid e-mail: ${email}` };
  const country = input.country_id === undefined ? undefined : entryOf(countries, input.country_id);
  if (!country) return { error: 'country_id invalid' };
  const subdivisionId = input.country_subdivision_id || input.subDivision?.country_subdivision_id || null;
  if (subdivisionId !== null) {
    const subdivision = entryOf(subdivisions, subdivisionId);
    if (!subdivision) return { error: 'invalid country_subdivision_id' };
    if (subdivision.country_id !== country.id) return { error: 'invalid country/subdivision combination' };
  }
  const zip = text(input.zip_code);
  if (country.id === US_COUNTRY_ID) {
    if (subdivisionId === null) return { error: 'the country_subdivision_id field is required for US customers' };
    if (!zip) return { error: 'the zip_code field is required for US customers' };
    const prefixes = entryOf(subdivisions, subdivisionId)!.zip_prefixes;
    if (!US_ZIP.test(zip) || (prefixes && !prefixes.some((p) => zip.startsWith(p))))
      return { error: 'invalid zip_code' };
  }
  return {
    contact: {
      company_name: text(input.company_name),
      company_address: text(input.company_address),
      company_city: text(input.company_city),
      contact_email: email,
      contact_person: text(input.contact_person),
      country_id: country.id,
      country_subdivision_id: subdivisionId,
      zip_code: zip,
      vat_number: text(input.tax_number),
    },
  };
}
