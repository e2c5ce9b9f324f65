/**
 * Handlers of /api/cart/: the caller's cart of plans to check out, coupons redeemed on it, GroupBuy uploads. A signed-in
 * user's cart is kept in the sandbox; an anonymous caller's in a cookie (model/cart-cookie.ts, model/cart-store.ts), until they sign in.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { ApiError } from '../../../core/plugin.ts';
import type { CartItemFields } from '../model/cart-cookie.ts';
import { detail, fieldErrors, notFound } from '../model/errors.ts';
import { requestFile } from '../model/multipart.ts';
import { couponApplies } from '../model/pricing.ts';
import type { DjaoappState, PlanRecord } from '../state.ts';
import { cartCookieHeader, cartOf, cookieCart, itemFor, newItem, renderItem } from '../model/cart-store.ts';
import type { Ctx, Reply } from '../model/context.ts';

interface CartItemInput {
  plan: string;
  option?: number | null;
  full_name?: string | null;
  email?: string | null;
  sync_on?: string | null;
}

const activePlan = (state: DjaoappState, slug: string): PlanRecord | undefined =>
  state.plans.find((p) => p.slug === slug && p.is_active);

/** Puts an item in a cart: the cart's item for its plan and e-mail address takes the new fields, or a new one is made. */
function put<T extends CartItemFields>(
  cart: T[],
  fields: CartItemFields,
  create: (fields: CartItemFields) => T,
): { item: T; created: boolean } {
  const existing = itemFor(cart, fields.plan, fields.email);
  return existing ? { item: Object.assign(existing, fields), created: false } : { item: create(fields), created: true };
}

export function cart_add(ctx: Ctx<'cart_add'>): Reply<'cart_add'> {
  const { user } = ctx.principal;
  const { state } = ctx;
  const inputs: CartItemInput[] = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
  const problems = inputs.map(
    (input): Record<string, string[]> =>
      activePlan(state, input.plan) ? {} : { plan: [`Plan '${input.plan}' does not exist or is inactive.`] },
  );
  // A list's refusal names its items, one object each up to the last one refused (DRF's many=True).
  const refused = problems.map((p, i) => ('plan' in p ? i + 1 : 0)).reduce((a, b) => Math.max(a, b), 0);
  if (refused) throw new ApiError(400, Array.isArray(ctx.body) ? problems.slice(0, refused) : problems[0]);
  const anonymousCart = user ? [] : cookieCart(ctx);
  const putItem = user
    ? (fields: CartItemFields) =>
        put(cartOf(state, user.slug), fields, (f) => newItem(state, user.slug, f.plan, ctx.now(), f))
    : (fields: CartItemFields) =>
        put(anonymousCart, fields, (f) => {
          anonymousCart.push(f);
          return f;
        });
  const puts = inputs.map((input) =>
    putItem({
      plan: input.plan,
      option: input.option ?? null,
      full_name: input.full_name ?? null,
      email: input.email ?? null,
      sync_on: input.sync_on ?? null,
    }),
  );
  const items = puts.map((p) => renderItem(p.item));
  return {
    status: puts.some((p) => p.created) ? 201 : 200,
    body: Array.isArray(ctx.body) ? items : items[0],
    ...(!user && { headers: cartCookieHeader(ctx, anonymousCart) }),
  };
}

export function cart_remove(ctx: Ctx<'cart_remove'>): Reply<'cart_remove'> {
  const { user } = ctx.principal;
  const plan = ctx.query.plan;
  if (!user) {
    // djaodjin takes only the plan named out of a session cart: without one, the cookie's cart stays as it is.
    const cart = cookieCart(ctx);
    const kept = cart.filter((i) => i.plan !== plan);
    if (plan === undefined || kept.length === cart.length) return { status: 204 };
    return { status: 204, headers: cartCookieHeader(ctx, kept) };
  }
  const removed = new Set(cartOf(ctx.state, user.slug).filter((i) => plan === undefined || i.plan === plan));
  ctx.state.cart_items = ctx.state.cart_items.filter((i) => !removed.has(i));
  return { status: 204 };
}

export function cart_redeem(ctx: Ctx<'cart_redeem'>): Reply<'cart_redeem'> {
  const user = ctx.principal.user!;
  const { code } = ctx.body;
  const { state } = ctx;
  const now = ctx.now();
  // Codes are looked up whatever their case, as djaodjin does (code__iexact); each item keeps its provider's coupon.
  const discounts = cartOf(state, user.slug).flatMap((item) => {
    const plan = state.plans.find((p) => p.slug === item.plan);
    const coupon =
      plan && state.coupons.find((c) => c.code.toLowerCase() === code.toLowerCase() && couponApplies(c, plan, now));
    return coupon ? [{ item, coupon }] : [];
  });
  if (!discounts.length) throw detail(400, `No items can be discounted using this coupon: ${code}.`);
  for (const { item, coupon } of discounts) item.coupon = coupon.code;
  return { status: 200, body: { detail: `Coupon '${code}' was successfully applied.` } };
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** The fields of one CSV line, trimmed ("" for a quote in a quoted field); undefined when it does not read as CSV. */
function csvFields(line: string): string[] | undefined {
  try {
    return (parseCsv(line, { bom: true, relax_quotes: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return undefined;
  }
}

export interface UploadLine {
  first_name: string;
  last_name: string;
  email: string;
}

/** The people of a GroupBuy CSV (first_name,last_name,email, no header): the lines that read as one, and the others. */
export function parseGroupBuyCsv(text: string): { people: UploadLine[]; failed: UploadLine[] } {
  const people: UploadLine[] = [];
  const failed: UploadLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [first_name = '', last_name = '', email = '', ...rest] = csvFields(line) ?? [line.trim()];
    const person = { first_name, last_name, email };
    (rest.length === 0 && EMAIL.test(email) ? people : failed).push(person);
  }
  return { people, failed };
}

export function cart_upload(ctx: Ctx<'cart_upload'>): Reply<'cart_upload'> {
  const user = ctx.principal.user!;
  const plan = activePlan(ctx.state, ctx.params.plan);
  if (!plan) throw notFound();
  const file = requestFile(ctx.body, ctx.request.headers['content-type']);
  if (!file) throw fieldErrors({ file: ['No file was submitted.'] });
  const { people, failed } = parseGroupBuyCsv(file.bytes.toString('utf8'));
  const created: UploadLine[] = [];
  const updated: UploadLine[] = [];
  for (const person of people) {
    const full_name = `${person.first_name} ${person.last_name}`.trim();
    const existing = itemFor(cartOf(ctx.state, user.slug), plan.slug, person.email);
    if (existing) {
      existing.full_name = full_name;
      updated.push(person);
    } else {
      newItem(ctx.state, user.slug, plan.slug, ctx.now(), { full_name, email: person.email });
      created.push(person);
    }
  }
  return { status: 200, body: { created, updated, failed } };
}
