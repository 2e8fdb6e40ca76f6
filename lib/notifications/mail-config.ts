/**
 * Email is optional: SMTP_URL (e.g. smtp://user:pass@mail.internal:587) turns it on, MAIL_FROM
 * names the sender. Without SMTP_URL notifications are in-app only and nothing is queued.
 */
export function emailEnabled(): boolean {
  return Boolean(process.env.SMTP_URL);
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? "Ops Portal <ops-portal@localhost>";
}
