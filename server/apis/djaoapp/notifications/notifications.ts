/** Handlers that send e-mail or list things to do: contact-us, test notifications, todos. */
import type { Reply } from '../../../core/plugin.ts';
import { notFound } from '../model/errors.ts';
import { paginate } from '../model/lists.ts';
import { brokerEmail, sendEmail } from '../model/outbox.ts';
import { requireBrokerManager } from '../model/permissions.ts';
import type { Ctx } from '../model/context.ts';

export const CONTACT_US_REPLY = 'Your request has been sent. We will reply within24 hours. Thank you.';

export function contact_us(ctx: Ctx): Reply {
  const { full_name, email, message } = ctx.body as { full_name: string; email: string; message?: string };
  sendEmail(ctx.state, ctx.now(), {
    template: 'contact_requested_notice',
    to: [brokerEmail(ctx.state)],
    from: email,
    subject: `${full_name} contacted you`,
    body: message ?? '',
    context: { full_name, email, message: message ?? null },
  });
  return { status: 200, body: { detail: CONTACT_US_REPLY } };
}

export function notifications_test(ctx: Ctx): Reply {
  const caller = requireBrokerManager(ctx.state, ctx.principal);
  const template = ctx.params.template as string;
  if (!ctx.state.notification_templates.includes(template)) throw notFound();
  sendEmail(ctx.state, ctx.now(), {
    template,
    to: [caller.email],
    subject: `[test] ${template}`,
    body: `This is a test of the ${template} notification, rendered with sample data.`,
    context: { test: 'true', requested_by: caller.slug },
  });
  return { status: 200, body: { detail: `Test email sent to ${caller.email}` } };
}

export function todos_list(ctx: Ctx): Reply {
  requireBrokerManager(ctx.state, ctx.principal);
  const sorted = [...ctx.state.todos].sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { status: 200, body: paginate(sorted, ctx.request, ctx.query.page, ctx.query.page_size) };
}
