import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, databaseUrlOf, db } from "@/lib/db/client";
import { lifecycle } from "@/lib/observability/lifecycle";
import { makeUser } from "@/lib/testing/actors";
import { notify } from "./notify.ts";
import { deliverDueEmails, kickOutbox, MAX_ATTEMPTS, outboxState, retryDelayMs, startOutboxLoop } from "./outbox.ts";

type Received = { from: string; to: string[]; raw: string };

/** A real SMTP server on a random local port that records what it accepts (or refuses recipients). */
async function startSmtp(options: { reject?: boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.reject) {
        const err = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A local port nothing listens on (bound, then released). */
async function closedPortUrl(): Promise<string> {
  const smtp = await startSmtp();
  await smtp.close();
  return smtp.url;
}

async function queueFor(emails: string[], title = "CHG-000123 needs your approval") {
  const users = await Promise.all(emails.map((email) => makeUser("STAKEHOLDER", { email })));
  await db.$transaction((tx) =>
    notify(
      tx,
      users.map((u) => u.id),
      { kind: "change.approval_needed", title, body: "Database upgrade on billing-api, medium risk.", link: "/changes/CHG-000123" },
    ),
  );
  return users;
}

let seq = 0;
const address = (name: string) => `${name}-${++seq}@example.test`;

beforeAll(() => {
  process.env.MAIL_FROM = "Ops Portal <portal@example.test>";
  process.env.PORTAL_URL = "https://ops.example.test";
});

beforeEach(async () => {
  await db.emailOutbox.deleteMany();
});

afterEach(() => {
  delete process.env.SMTP_URL;
});

afterAll(() => {
  delete process.env.MAIL_FROM;
  delete process.env.PORTAL_URL;
});

describe("email outbox", () => {
  it("delivers an email queued by notify() to the user, with the title as subject and a link in the body", async () => {
    const smtp = await startSmtp();
    try {
      process.env.SMTP_URL = smtp.url;
      const to = address("stakeholder");
      await queueFor([to]);

      expect(await deliverDueEmails()).toEqual({ sent: 1, retrying: 0, gaveUp: 0 });

      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.from).toBe("portal@example.test");
      expect(mail.to).toEqual([to]);
      expect(mail.raw).toMatch(/^Subject: CHG-000123 needs your approval$/m);
      expect(mail.raw).toMatch(/^To: [^\n]*<?\S*stakeholder-\d+@example\.test>?/m);
      expect(mail.raw).toContain("Database upgrade on billing-api, medium risk.");
      expect(mail.raw).toContain("Open it in Ops Portal: https://ops.example.test/changes/CHG-000123");
      const row = await db.emailOutbox.findFirstOrThrow();
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(row.attempts).toBe(1);

      // Sent rows are not sent again.
      expect(await deliverDueEmails()).toEqual({ sent: 0, retrying: 0, gaveUp: 0 });
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it("records the error and retries later with a growing delay when the SMTP server cannot be reached", async () => {
    process.env.SMTP_URL = await closedPortUrl();
    await queueFor([address("unreachable")]);
    const t0 = new Date();

    expect(await deliverDueEmails({ now: () => t0 })).toEqual({ sent: 0, retrying: 1, gaveUp: 0 });
    let row = await db.emailOutbox.findFirstOrThrow();
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + retryDelayMs(1));

    // Not due yet: nothing is attempted.
    expect(await deliverDueEmails({ now: () => new Date(t0.getTime() + retryDelayMs(1) - 1000) })).toEqual({ sent: 0, retrying: 0, gaveUp: 0 });
    expect((await db.emailOutbox.findFirstOrThrow()).attempts).toBe(1);

    // Due again, still failing: the wait doubles.
    const t1 = new Date(t0.getTime() + retryDelayMs(1));
    await deliverDueEmails({ now: () => t1 });
    row = await db.emailOutbox.findFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));

    // The server comes back: the next due attempt delivers it.
    const smtp = await startSmtp();
    try {
      process.env.SMTP_URL = smtp.url;
      expect(await deliverDueEmails({ now: () => row.nextAttemptAt })).toEqual({ sent: 1, retrying: 0, gaveUp: 0 });
      expect(smtp.received).toHaveLength(1);
      row = await db.emailOutbox.findFirstOrThrow();
      expect(row).toMatchObject({ attempts: 3, lastError: "" });
      expect(row.sentAt).toBeInstanceOf(Date);
    } finally {
      await smtp.close();
    }
  });

  it("keeps the server's refusal as the error and gives up after the last attempt", async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      process.env.SMTP_URL = smtp.url;
      await queueFor([address("refused")]);
      let at = new Date();
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        expect(await deliverDueEmails({ now: () => at })).toEqual({ sent: 0, retrying: 1, gaveUp: 0 });
        at = (await db.emailOutbox.findFirstOrThrow()).nextAttemptAt;
      }
      const before = await db.emailOutbox.findFirstOrThrow();
      expect(before.lastError).toMatch(/^550: .*Mailbox unavailable/);

      expect(await deliverDueEmails({ now: () => at })).toEqual({ sent: 0, retrying: 0, gaveUp: 1 });
      const row = await db.emailOutbox.findFirstOrThrow();
      expect(row.attempts).toBe(MAX_ATTEMPTS);
      expect(row.sentAt).toBeNull();

      // Given up: later runs leave it alone, and the admin page counts it as failed.
      expect(await deliverDueEmails({ now: () => new Date(at.getTime() + 365 * 86400_000) })).toEqual({ sent: 0, retrying: 0, gaveUp: 0 });
      const state = await outboxState();
      expect(state).toMatchObject({ enabled: true, queued: 0, failed: 1 });
      expect(state.lastFailure?.lastError).toMatch(/550/);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });

  it("sends each email once when two instances deliver at the same moment", async () => {
    const smtp = await startSmtp();
    // A second client stands for a second server instance with its own connection pool.
    const other = createDb(databaseUrlOf(db));
    try {
      process.env.SMTP_URL = smtp.url;
      const recipients = Array.from({ length: 12 }, () => address("crowd"));
      await queueFor(recipients);

      const [a, b] = await Promise.all([deliverDueEmails(), deliverDueEmails({ db: other })]);

      expect(a.sent + b.sent).toBe(12);
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([...recipients].sort());
      expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
    } finally {
      await other.$disconnect();
      await smtp.close();
    }
  });

  it("queues no email and sends nothing when SMTP_URL is unset, but still notifies in the portal", async () => {
    delete process.env.SMTP_URL;
    const [user] = await queueFor([address("in-app-only")]);

    expect(await db.emailOutbox.count()).toBe(0);
    expect(await db.notification.count({ where: { userId: user!.id } })).toBe(1);
    expect(await deliverDueEmails()).toEqual({ sent: 0, retrying: 0, gaveUp: 0 });
    expect(await outboxState()).toMatchObject({ enabled: false, host: "", queued: 0, failed: 0 });
  });

  it("sends promptly when kicked after commit, and the loop stops after the email in flight", async () => {
    const smtp = await startSmtp();
    try {
      process.env.SMTP_URL = smtp.url;
      await queueFor([address("kicked")]);
      kickOutbox();
      kickOutbox(); // a second kick during the run is folded into it, never a second send
      await expect.poll(() => smtp.received.length, { timeout: 5000 }).toBe(1);

      await queueFor([address("looped")]);
      const loop = startOutboxLoop(60_000); // its first run starts at once
      await loop.stop(); // waits for that run
      expect(smtp.received).toHaveLength(2);
      expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
    } finally {
      await smtp.close();
    }
  });

  it("claims nothing new once the server is shutting down", async () => {
    const smtp = await startSmtp();
    try {
      process.env.SMTP_URL = smtp.url;
      await queueFor([address("late-1"), address("late-2")]);
      let sends = 0;
      const report = await deliverDueEmails({ stopped: () => sends > 0, transport: () => ({
        sendMail: async () => void sends++,
        close: () => undefined,
      }) });
      expect(report.sent).toBe(1);
      expect(await db.emailOutbox.count({ where: { sentAt: null } })).toBe(1);
      // The unsent one was never claimed: any instance may send it at once.
      expect((await db.emailOutbox.findFirstOrThrow({ where: { sentAt: null } })).nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

      lifecycle().shuttingDown = true;
      kickOutbox();
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received).toHaveLength(0);
    } finally {
      lifecycle().shuttingDown = false;
      await smtp.close();
    }
  });

  it("does nothing when kicked without SMTP_URL, and never throws", async () => {
    delete process.env.SMTP_URL;
    expect(() => kickOutbox()).not.toThrow();
    process.env.SMTP_URL = "not a url";
    await queueFor([address("bad-config")]);
    expect(() => kickOutbox()).not.toThrow();
    await expect.poll(async () => (await db.emailOutbox.findFirstOrThrow()).attempts, { timeout: 5000 }).toBe(1);
  });

  it("shows the SMTP host but never the password on the admin page", async () => {
    process.env.SMTP_URL = "smtp://mailer:s3cret-pass@mail.internal:587";
    const state = await outboxState();
    expect(state.host).toBe("smtp://mail.internal:587");
    expect(JSON.stringify(state)).not.toContain("s3cret");
    expect(state.from).toBe("Ops Portal <portal@example.test>");
  });
});
