/** E-mails Standin "sends": appended to the sandbox outbox, read through the admin API (view `outbox`). */
import type { DjaoappState, OutboxEmail } from '../state.ts';

export interface EmailInput {
  template: string;
  to: string[];
  from?: string;
  subject: string;
  body: string;
  context?: Record<string, string | null>;
}

export function brokerEmail(state: DjaoappState): string {
  return state.profiles.find((p) => p.slug === state.broker)?.email ?? 'support@localhost.localdomain';
}

export function sendEmail(state: DjaoappState, now: Date, input: EmailInput): OutboxEmail {
  const email: OutboxEmail = {
    id: state.next_ids.email++,
    sent_at: now.toISOString(),
    template: input.template,
    to: input.to,
    from: input.from ?? brokerEmail(state),
    subject: input.subject,
    body: input.body,
    context: input.context ?? {},
  };
  state.outbox.push(email);
  return email;
}
