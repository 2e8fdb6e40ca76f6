import nodemailer from "nodemailer";
import { db as defaultDb, type Db } from "../db/client.ts";
import { lifecycle } from "../observability/lifecycle.ts";
import { logger } from "../observability/logger.ts";
import { emailEnabled, mailFrom } from "./mail-config.ts";

/*
 * Delivery of the EmailOutbox rows notify() queues. Any number of server instances may run this at
 * once: a row is claimed with a compare-and-set that pushes its nextAttemptAt forward by a lease,
 * so only the instance whose update matched sends it. If an instance dies between sending and
 * recording, the lease runs out and the email goes again (at least once, never lost).
 */

/** After this many failed attempts a row is left alone (and counted as failed on the admin page). */
export const MAX_ATTEMPTS = 8;
/** How long a claimed row is reserved for the instance sending it; longer than every SMTP timeout. */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
/** How often the loop started by server.ts looks for due emails. */
const LOOP_EVERY_MS = 5_000;

/** Wait before the attempt after `attempts` failures: 30 s, 1 min, 2 min ... at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export type Mailer = { sendMail(mail: { from: string; to: string; subject: string; text: string }): Promise<unknown>; close(): void };

function smtpTransport(): Mailer {
  const url = process.env.SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set");
  // Timeouts well inside the lease, so a hung server cannot outlive the claim.
  return nodemailer.createTransport({ url, connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
}

export type DeliveryReport = { sent: number; retrying: number; gaveUp: number };

/**
 * Sends every email due now, once each across all instances. Returns what happened; never sends
 * when SMTP_URL is unset (queued rows then wait until it is set).
 */
export async function deliverDueEmails(
  options: { db?: Db; now?: () => Date; transport?: () => Mailer; stopped?: () => boolean } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, gaveUp: 0 };
  if (!emailEnabled()) return report;
  const client = options.db ?? defaultDb;
  const now = options.now ?? (() => new Date());
  const due = await client.emailOutbox.findMany({
    where: { sentAt: null, attempts: { lt: MAX_ATTEMPTS }, nextAttemptAt: { lte: now() } },
    orderBy: { nextAttemptAt: "asc" },
    take: BATCH,
    select: { id: true, nextAttemptAt: true },
  });
  if (!due.length) return report;
  const transport = (options.transport ?? smtpTransport)();
  try {
    for (const candidate of due) {
      if (options.stopped?.()) break; // shutting down: claim nothing new, the rest waits for another instance
      const leaseUntil = new Date(now().getTime() + LEASE_MS);
      const claimed = await client.emailOutbox.updateMany({
        where: { id: candidate.id, sentAt: null, nextAttemptAt: candidate.nextAttemptAt },
        data: { nextAttemptAt: leaseUntil },
      });
      if (claimed.count === 0) continue; // another instance has it
      const row = await client.emailOutbox.findUniqueOrThrow({ where: { id: candidate.id } });
      const ours = { id: row.id, sentAt: null, nextAttemptAt: leaseUntil };
      try {
        await transport.sendMail({ from: mailFrom(), to: row.to, subject: row.subject, text: row.text });
        await client.emailOutbox.updateMany({
          where: ours,
          data: { sentAt: now(), attempts: row.attempts + 1, lastError: "" },
        });
        report.sent++;
      } catch (err) {
        const attempts = row.attempts + 1;
        const lastError = describe(err).slice(0, 1000);
        const gaveUp = attempts >= MAX_ATTEMPTS;
        await client.emailOutbox.updateMany({
          where: ours,
          data: { attempts, lastError, nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)) },
        });
        if (gaveUp) {
          report.gaveUp++;
          logger.error({ emailId: row.id, to: row.to, attempts, lastError }, "email not delivered: giving up");
        } else {
          report.retrying++;
          logger.warn({ emailId: row.id, attempts, lastError }, "email not delivered: will retry");
        }
      }
    }
  } finally {
    transport.close();
  }
  return report;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown; responseCode?: unknown }).responseCode ?? (err as { code?: unknown }).code;
    return code ? `${String(code)}: ${err.message}` : err.message;
  }
  return String(err);
}

// One runner per process, shared by server.ts's loop and server actions (which Next may load
// through another module instance, hence globalThis): runs never overlap within a process.
type Runner = { running: Promise<void> | null; again: boolean };
const KEY = Symbol.for("ops-portal.outbox");
const holder = globalThis as unknown as { [KEY]?: Runner };
const runner = (holder[KEY] ??= { running: null, again: false });

function runOnce(): Promise<void> {
  if (lifecycle().shuttingDown) return runner.running ?? Promise.resolve();
  if (runner.running) {
    runner.again = true; // something was queued during this run: look again when it ends
    return runner.running;
  }
  runner.running = (async () => {
    do {
      runner.again = false;
      try {
        await deliverDueEmails({ stopped: () => lifecycle().shuttingDown });
      } catch (err) {
        logger.error({ err }, "email delivery run failed");
      }
    } while (runner.again);
  })().finally(() => {
    runner.running = null;
  });
  return runner.running;
}

/**
 * Sends what was just queued without waiting for the loop: call after the transaction that
 * called notify() committed. Fire-and-forget; never throws, does nothing when email is off.
 */
export function kickOutbox(): void {
  if (!emailEnabled()) return;
  void runOnce();
}

/**
 * The delivery loop server.ts starts when email is configured. Once the server is shutting down
 * (lifecycle) no new run starts and a run claims no more rows; stop() waits for the email in flight.
 */
export function startOutboxLoop(everyMs = LOOP_EVERY_MS): { stop(): Promise<void> } {
  let stopped = false;
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, everyMs);
  timer.unref();
  void runOnce(); // whatever waited while the server was down
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await runner.running;
    },
  };
}

/** For the admin page: where mail goes (never the password) and how the queue stands. */
export async function outboxState(client: Db = defaultDb): Promise<{
  enabled: boolean;
  host: string;
  from: string;
  queued: number;
  failed: number;
  sentLastDay: number;
  lastFailure: { subject: string; lastError: string; attempts: number; at: Date } | null;
}> {
  const url = process.env.SMTP_URL;
  let host = "";
  if (url) {
    try {
      const parsed = new URL(url);
      host = `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}`;
    } catch {
      host = "(SMTP_URL is not a valid URL)";
    }
  }
  const [queued, failed, sentLastDay, last] = await Promise.all([
    client.emailOutbox.count({ where: { sentAt: null, attempts: { lt: MAX_ATTEMPTS } } }),
    client.emailOutbox.count({ where: { sentAt: null, attempts: { gte: MAX_ATTEMPTS } } }),
    client.emailOutbox.count({ where: { sentAt: { gte: new Date(Date.now() - 24 * 3600_000) } } }),
    client.emailOutbox.findFirst({
      where: { sentAt: null, lastError: { not: "" } },
      orderBy: { nextAttemptAt: "desc" },
      select: { subject: true, lastError: true, attempts: true, createdAt: true },
    }),
  ]);
  return {
    enabled: Boolean(url),
    host,
    from: mailFrom(),
    queued,
    failed,
    sentLastDay,
    lastFailure: last ? { subject: last.subject, lastError: last.lastError, attempts: last.attempts, at: last.createdAt } : null,
  };
}
