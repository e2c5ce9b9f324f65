/**
 * Carts in the state: a signed-in user's items not yet checked out, and an anonymous caller's cart in a cookie
 * (cart-cookie.ts), joined to the user's at sign-in.
 */
import { isCrossSite } from '../../../core/cors.ts';
import type { Ctx } from './context.ts';
import { CART_COOKIE, cookieValue, decodeCart, setCartCookie, type CartItemFields } from './cart-cookie.ts';
import { sandboxKey } from './jwt.ts';
import type { CartItemRecord, DjaoappState } from '../state.ts';
import { sameEmail } from './values.ts';

/** The caller's cart: items not yet checked out, oldest first (an item whose plan was deleted since is gone). */
export function cartOf(state: DjaoappState, user: string): CartItemRecord[] {
  return state.cart_items
    .filter((i) => i.user === user && i.recorded_at === null && state.plans.some((p) => p.slug === i.plan))
    .sort((a, b) => a.id - b.id);
}

/** The item of the cart for this plan and (GroupBuy) person: one per plan and e-mail address. */
export function itemFor<T extends CartItemFields>(cart: T[], plan: string, email: string | null): T | undefined {
  return cart.find(
    (i) => i.plan === plan && (i.email === null || email === null ? i.email === email : sameEmail(i.email, email)),
  );
}

export function newItem(
  state: DjaoappState,
  user: string,
  plan: string,
  now: Date,
  fields: Partial<CartItemRecord>,
): CartItemRecord {
  const item: CartItemRecord = {
    id: state.next_ids.cart_item++,
    user,
    plan,
    option: null,
    full_name: null,
    email: null,
    sync_on: null,
    coupon: null,
    created_at: now.toISOString(),
    recorded_at: null,
    ...fields,
  };
  state.cart_items.push(item);
  return item;
}

export const renderItem = (item: CartItemFields): CartItemFields => ({
  plan: item.plan,
  option: item.option,
  full_name: item.full_name,
  email: item.email,
  sync_on: item.sync_on,
});

/** The sandbox's own key (the tokens' key): a cart cookie set in one sandbox is an empty cart in another. */
export const cartKey = (ctx: Ctx) => sandboxKey(ctx.state.jwt_secret, ctx.sandboxId);

/** The anonymous caller's cart, as their cookie holds it. */
export const cookieCart = (ctx: Ctx): CartItemFields[] => {
  const value = cookieValue(ctx.request.headers.cookie, CART_COOKIE);
  return value === undefined ? [] : decodeCart(value, cartKey(ctx));
};

/**
 * Signing in (login, registration): the items of the caller's cart cookie join the user's stored cart, as djaodjin
 * moves the session's cart into the database. An item already there (same plan and e-mail address) takes the option,
 * full_name and sync_on it lacks; the others are added; an item whose plan is gone is dropped. Returns the header
 * that clears the cookie, when the request had one.
 */
export function joinCookieCart(ctx: Ctx, user: string): Record<string, string> | undefined {
  if (cookieValue(ctx.request.headers.cookie, CART_COOKIE) === undefined) return undefined;
  const { state } = ctx;
  for (const fields of cookieCart(ctx)) {
    if (!state.plans.some((p) => p.slug === fields.plan)) continue;
    const existing = itemFor(cartOf(state, user), fields.plan, fields.email);
    if (!existing) newItem(state, user, fields.plan, ctx.now(), renderItem(fields));
    else {
      if (fields.option && !existing.option) existing.option = fields.option;
      if (fields.full_name && !existing.full_name) existing.full_name = fields.full_name;
      if (fields.sync_on && !existing.sync_on) existing.sync_on = fields.sync_on;
    }
  }
  return cartCookieHeader(ctx, []);
}

/** The header that keeps the anonymous caller's cart in their cookie, for a page of this site or of another. */
export const cartCookieHeader = (ctx: Ctx, items: CartItemFields[]): Record<string, string> => ({
  'Set-Cookie': setCartCookie(items, cartKey(ctx), isCrossSite(ctx.request.headers.origin, ctx.request.baseUrl)),
});
