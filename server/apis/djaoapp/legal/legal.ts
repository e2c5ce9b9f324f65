/** Handler of /api/legal/{agreement}/sign/: the caller accepts an agreement; the last signature date is kept. */
import type { Reply } from '../../../core/plugin.ts';
import { fieldErrors, notFound, unauthenticated } from '../model/errors.ts';
import type { Ctx } from '../model/context.ts';

export function legal_sign(ctx: Ctx): Reply {
  const user = ctx.principal.user;
  if (!user) throw unauthenticated();
  const agreement = ctx.state.agreements.find((a) => a.slug === ctx.params.agreement);
  if (!agreement) throw notFound();
  if ((ctx.body as { read_terms: boolean }).read_terms !== true)
    throw fieldErrors({ read_terms: ['You must read and agree to the terms before signing.'] });
  const last_signed = ctx.now().toISOString();
  const existing = ctx.state.signatures.find((s) => s.agreement === agreement.slug && s.user === user.slug);
  if (existing) existing.last_signed = last_signed;
  else ctx.state.signatures.push({ agreement: agreement.slug, user: user.slug, last_signed });
  return { status: 200, body: { read_terms: true, last_signed } };
}
