/** Productive records → JSON:API resource objects. */
import { renderedOnce } from '../../core/json-text.ts';
import type { Company, Organization, Person, Price, ProductiveState, ServiceType } from './state.ts';
import { convertAmount } from './values.ts';

type Resource = {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, unknown>;
};

const organizationLink = (id: number) => ({ data: { type: 'organizations', id } });
const toOne = (type: string, id: string | null) => ({ data: id === null ? null : { type, id } });

/** The 2021 docs include these with every price when the request names no `include`. */
export const DEFAULT_INCLUDES = ['service_type', 'company', 'updater', 'updater.company'];

export const renderPrice = renderedOnce(
  (price: Price, organization: Organization, rates: ProductiveState['exchange_rates']): Resource => {
    const money = (cents: number | null, to: string) => convertAmount(cents, price.currency, to, rates);
    const { default_currency: dflt, normalized_currency: norm } = organization;
    return {
      id: price.id,
      type: 'prices',
      attributes: {
        name: price.name,
        pricing_type_id: price.pricing_type_id,
        unit_id: price.unit_id,
        quantity: price.quantity,
        updated_at: price.updated_at,
        description: price.description,
        currency: price.currency,
        currency_default: dflt,
        currency_normalized: norm,
        rate: price.rate,
        rate_default: money(price.rate, dflt),
        rate_normalized: money(price.rate, norm),
        fixed_amount: price.fixed_amount,
        fixed_amount_default: money(price.fixed_amount, dflt),
        fixed_amount_normalized: money(price.fixed_amount, norm),
        hourly_rate: price.hourly_rate,
        hourly_rate_default: money(price.hourly_rate, dflt),
        hourly_rate_normalized: money(price.hourly_rate, norm),
      },
      relationships: {
        organization: organizationLink(price.organization_id),
        service_type: toOne('service_types', price.service_type_id),
        company: toOne('companies', price.company_id),
        updater: toOne('people', price.updater_id),
      },
    };
  },
);

const renderServiceType = renderedOnce(
  (record: ServiceType): Resource => ({
    id: record.id,
    type: 'service_types',
    attributes: { ...record.attributes },
    relationships: { organization: organizationLink(record.organization_id) },
  }),
);

const renderCompany = renderedOnce(
  (record: Company): Resource => ({
    id: record.id,
    type: 'companies',
    attributes: { ...record.attributes },
    relationships: {
      organization: organizationLink(record.organization_id),
      bill_to: toOne('companies', record.bill_to_id),
    },
  }),
);

const renderPerson = renderedOnce(
  (record: Person): Resource => ({
    id: record.id,
    type: 'people',
    attributes: { ...record.attributes },
    relationships: {
      organization: organizationLink(record.organization_id),
      company: toOne('companies', record.company_id),
      subsidiary: toOne('subsidiaries', record.subsidiary_id),
    },
  }),
);

/** The `included` array for these prices: each record once, in the order the paths reach them. */
export function renderIncluded(state: ProductiveState, prices: Price[], paths: string[]): Resource[] {
  // Keyed by the stored record: each is rendered once, however many prices share it.
  const included = new Map<object, Resource>();
  const add = <T extends object>(record: T | undefined, render: (record: T) => Resource) => {
    if (record && !included.has(record)) included.set(record, render(record));
  };
  const companyOf = (id: string | null) => (id === null ? undefined : state.companies[id]);
  for (const price of prices) {
    const updater = state.people[price.updater_id];
    for (const path of paths) {
      if (path === 'service_type' && price.service_type_id) {
        add(state.service_types[price.service_type_id], renderServiceType);
      } else if (path === 'company') {
        add(companyOf(price.company_id), renderCompany);
      } else if (path === 'updater') {
        add(updater, renderPerson);
      } else if (path === 'updater.company') {
        add(updater, renderPerson);
        add(companyOf(updater?.company_id ?? null), renderCompany);
      }
    }
  }
  return [...included.values()];
}

export const documentMeta = renderedOnce((organization: Organization) => ({
  organization_features: organization.organization_features,
  settings: organization.settings,
}));
