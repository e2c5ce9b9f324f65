/**
 * Which DjaoApp paths need their trailing slash. The seed writes its examples both ways (`GET
 * /api/billing/cowork/coupons?o=code&ot=asc&q=DIS`, `GET /api/billing/xia/checkout`), and the seed-era backends
 * serve most paths both ways: their Django routes end in `/?`. The routes below end in `/` (djaodjin-saas 0.11.0
 * saas/urls/api, djaodjin-signup 0.5.4 signup/urls/api, djaodjin-rules 0.2.9 rules/urls/api), where Django's
 * APPEND_SLASH redirects the path without it; so do DjaoApp's own paths, whose routes are not published.
 */
import type { TrailingSlash } from '../../../core/router/trailing-slash.ts';

export const djaoappTrailingSlash: TrailingSlash = {
  redirect: [
    // djaodjin-signup 0.5.4
    '/api/auth/',
    '/api/auth/logout/',
    '/api/auth/recover/',
    '/api/auth/register/',
    '/api/auth/reset/{uidb64}/{token}/',
    '/api/auth/tokens/',
    '/api/auth/tokens/verify/',
    '/api/contacts/{user}/activities/',
    '/api/users/{user}/',
    '/api/users/{user}/activate/',
    '/api/users/{user}/api-keys/',
    '/api/users/{user}/notifications/',
    '/api/users/{user}/password/',
    '/api/users/{user}/ssh-keys/',
    // djaodjin-saas 0.11.0
    '/api/accounts/',
    '/api/accounts/profiles/',
    '/api/accounts/users/',
    '/api/billing/charges/{organization}/email/',
    '/api/billing/charges/{organization}/refund/',
    '/api/cart/',
    '/api/cart/redeem/',
    '/api/cart/{plan}/upload/',
    '/api/legal/{agreement}/sign/',
    '/api/pricing/',
    '/api/profile/',
    '/api/profile/{organization}/plans/{plan}/subscriptions/',
    '/api/profile/{organization}/plans/{plan}/subscriptions/{subscriber}/',
    '/api/profile/{organization}/subscribers/accept/{request_key}/',
    '/api/users/{user}/accessibles/accept/{verification_key}/',
    // djaodjin-rules 0.2.9
    '/api/proxy/',
    '/api/proxy/engagement/',
    '/api/proxy/engagement/users/',
    '/api/proxy/key/',
    // DjaoApp's own
    '/api/contact/',
    '/api/notifications/{template}/',
    '/api/proxy/recent/',
    '/api/themes/',
    '/api/themes/editables/{slug}/remove-tags/',
    '/api/todos/',
  ],
};
