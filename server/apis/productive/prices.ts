/** Handlers of the prices resource: list_prices, get_price, create_price, update_price, delete_price. */
import type { ContextOf, StatusReply } from '../../core/plugin.ts';
import type { components, operations } from './contract.d.ts';
import { invalidAttribute, jsonApiError, notFound, type JsonApiError } from './errors.ts';
import {
  filterableFields,
  includablePaths,
  matchesFilters,
  page,
  pageLinks,
  parseFilters,
  parseIncludes,
  parseSort,
  sortableFields,
  sortComparator,
} from './jsonapi.ts';
import { DEFAULT_INCLUDES, documentMeta, renderIncluded, renderPrice } from './render.ts';
import type { Price, Principal, ProductiveState } from './state.ts';
import { formatQuantity, formatTimestamp, isBlank } from './values.ts';
import { entryOf, hasEntry } from '../../core/records.ts';

type OperationId = keyof operations;
/** The context of the handler of one operation (`Ctx<'get_price'>`), or of code any operation may call (`Ctx`). */
type Ctx<Id extends OperationId | undefined = undefined> = ContextOf<ProductiveState, Principal, operations, Id>;
/** A reply with a status the contract declares for the operation (render.ts builds plain JSON:API records). */
type Reply<Id extends OperationId> = StatusReply<operations[Id]>;

type RelationshipInput = components['schemas']['RelationshipInput'];
type PriceAttributesInput = components['schemas']['PriceAttributesInput'];

const MAX_PAGE_SIZE = 200;

function priceFieldValue(price: Price, field: string): unknown {
  return (price as unknown as Record<string, unknown>)[field];
}

function findPrice(ctx: Ctx & { params: { id: string } }): Price {
  const price = entryOf(ctx.state.prices, ctx.params.id);
  if (!price || price.organization_id !== ctx.principal.organization.id) throw notFound();
  return price;
}

function priceDocument<Status extends number>(
  ctx: Ctx & { query: { include?: string } },
  price: Price,
  status: Status,
): { status: Status; body: unknown } {
  const includes = parseIncludes(ctx.query.include, includablePaths(ctx.operation)) ?? DEFAULT_INCLUDES;
  const { organization } = ctx.principal;
  return {
    status,
    body: {
      data: renderPrice(price, organization, ctx.state.exchange_rates),
      included: renderIncluded(ctx.state, [price], includes),
      meta: documentMeta(organization),
    },
  };
}

/**
 * A relationship's target within the organization: undefined when the request does not name the
 * relationship, null when it sets it to null, 'unknown' when the id names no record of the organization.
 */
function relationshipTarget(
  ctx: Ctx,
  input: RelationshipInput | undefined,
  type: 'companies' | 'service_types',
): string | null | undefined | 'unknown' {
  if (input === undefined) return undefined;
  if (input.data === null) return null;
  const record = entryOf<{ id: string; organization_id: number }>(ctx.state[type], String(input.data.id));
  return input.data.type === type && record?.organization_id === ctx.principal.organization.id ? record.id : 'unknown';
}

/**
 * The 422 errors of a write, in the order Productive reports them: name, company_id, unit_id, currency,
 * then the number rules. On create every required attribute counts; on update only those written.
 */
function validationErrors(
  ctx: Ctx,
  attrs: PriceAttributesInput,
  company: ReturnType<typeof relationshipTarget>,
  creating: boolean,
): JsonApiError[] {
  const errors: JsonApiError[] = [];
  const written = (key: keyof typeof attrs) => creating || key in attrs;
  if (written('name') && isBlank(attrs.name)) errors.push(invalidAttribute('name', "can't be blank"));
  if (creating ? company === undefined || company === null || company === 'unknown' : company === null)
    errors.push(invalidAttribute('company_id', "can't be blank"));
  if (written('unit_id') && isBlank(attrs.unit_id)) errors.push(invalidAttribute('unit_id', "can't be blank"));
  if (written('currency')) {
    if (isBlank(attrs.currency)) errors.push(invalidAttribute('currency', "can't be blank"));
    else if (!hasEntry(ctx.state.exchange_rates, attrs.currency!))
      errors.push(invalidAttribute('currency', 'is not included in the list'));
  }
  if (attrs.quantity !== undefined && attrs.quantity !== null && formatQuantity(attrs.quantity) === undefined)
    errors.push(invalidAttribute('quantity', 'is not a number'));
  return errors;
}

/** Marks a price not yet stored as written now by the caller. */
function stamp(ctx: Ctx, price: Price): void {
  price.updated_at = formatTimestamp(ctx.now(), ctx.principal.organization.utc_offset);
  price.updater_id = ctx.principal.person.id;
}

/** Copies the written plain attributes (already checked) onto a price not yet stored. */
function assignAttributes(price: Price, attrs: PriceAttributesInput): void {
  if (attrs.name != null) price.name = attrs.name.trim();
  if (attrs.unit_id != null) price.unit_id = attrs.unit_id;
  if (attrs.currency != null) price.currency = attrs.currency;
  if (attrs.quantity != null) price.quantity = formatQuantity(attrs.quantity)!;
  if (attrs.rate != null) price.rate = attrs.rate;
  if (attrs.description !== undefined) price.description = attrs.description;
  if (attrs.pricing_type_id !== undefined) price.pricing_type_id = attrs.pricing_type_id;
  if (attrs.fixed_amount !== undefined) price.fixed_amount = attrs.fixed_amount;
  if (attrs.hourly_rate !== undefined) price.hourly_rate = attrs.hourly_rate;
}

export function list_prices(ctx: Ctx<'list_prices'>): Reply<'list_prices'> {
  const { operation, state, query, request } = ctx;
  const { organization } = ctx.principal;
  const filters = parseFilters(request.rawQuery, filterableFields(operation));
  const sort = parseSort(query.sort, sortableFields(operation));
  const includes = parseIncludes(query.include, includablePaths(operation)) ?? DEFAULT_INCLUDES;
  // The contract gives both a default, which the validator applied.
  const number = query['page[number]']!;
  const size = query['page[size]']!;
  const matching = Object.values(state.prices)
    .filter((p) => p.organization_id === organization.id && matchesFilters((f) => priceFieldValue(p, f), filters))
    .sort(sortComparator(sort, priceFieldValue));
  const current = page(number, size, matching.length);
  const prices = matching.slice((number - 1) * size, number * size);
  return {
    status: 200,
    body: {
      data: prices.map((p) => renderPrice(p, organization, state.exchange_rates)),
      included: renderIncluded(state, prices, includes),
      links: pageLinks(`${request.baseUrl}${request.path}`, request.rawQuery, current),
      meta: {
        current_page: current.number,
        total_pages: current.totalPages,
        total_count: current.totalCount,
        page_size: current.size,
        max_page_size: MAX_PAGE_SIZE,
        ...documentMeta(organization),
      },
    },
  };
}

export function get_price(ctx: Ctx<'get_price'>): Reply<'get_price'> {
  return priceDocument(ctx, findPrice(ctx), 200);
}

export function create_price(ctx: Ctx<'create_price'>): Reply<'create_price'> {
  const { data } = ctx.body;
  const attrs = data.attributes ?? {};
  const company = relationshipTarget(ctx, data.relationships?.company, 'companies');
  const serviceType = relationshipTarget(ctx, data.relationships?.service_type, 'service_types');
  parseIncludes(ctx.query.include, includablePaths(ctx.operation));
  const errors = validationErrors(ctx, attrs, company, true);
  if (errors.length) throw jsonApiError(422, errors);

  const id = String(ctx.state.next_price_id);
  const price: Price = {
    id,
    organization_id: ctx.principal.organization.id,
    name: '',
    pricing_type_id: null,
    unit_id: 0,
    quantity: '1.0',
    updated_at: '',
    description: null,
    currency: '',
    rate: 0,
    fixed_amount: null,
    hourly_rate: null,
    service_type_id: serviceType === 'unknown' || serviceType === undefined ? null : serviceType,
    company_id: company as string,
    updater_id: ctx.principal.person.id,
  };
  assignAttributes(price, attrs);
  stamp(ctx, price);
  ctx.write.set(['next_price_id'], ctx.state.next_price_id + 1);
  ctx.write.set(['prices', id], price);
  return priceDocument(ctx, price, 201);
}

export function update_price(ctx: Ctx<'update_price'>): Reply<'update_price'> {
  const price = findPrice(ctx);
  const { data } = ctx.body;
  if (data.id !== undefined && data.id !== price.id)
    throw jsonApiError(409, [
      {
        status: '409',
        code: 'id_mismatch',
        title: 'Conflict',
        detail: `data.id '${data.id}' does not match the URL's id '${price.id}'`,
      },
    ]);
  parseIncludes(ctx.query.include, includablePaths(ctx.operation));
  const attrs = data.attributes ?? {};
  const company = relationshipTarget(ctx, data.relationships?.company, 'companies');
  const serviceType = relationshipTarget(ctx, data.relationships?.service_type, 'service_types');
  const errors = validationErrors(ctx, attrs, company, false);
  if (errors.length) throw jsonApiError(422, errors);

  const updated = { ...price };
  assignAttributes(updated, attrs);
  if (company !== undefined && company !== 'unknown') updated.company_id = company!;
  if (serviceType !== undefined && serviceType !== 'unknown') updated.service_type_id = serviceType;
  stamp(ctx, updated);
  ctx.write.set(['prices', price.id], updated);
  return priceDocument(ctx, updated, 200);
}

export function delete_price(ctx: Ctx<'delete_price'>): Reply<'delete_price'> {
  const price = findPrice(ctx);
  ctx.write.remove(['prices', price.id]);
  return { status: 204 };
}
