import { AUDIT_ACTIONS } from "../lib/audit/actions.ts";
import type { BulkAuditEvent } from "../lib/db/audit-bulk.ts";

/**
 * A plausible trail for benchmarks: 200 people acting from a few dozen addresses, every action
 * kind, targets spread over many ids, an event every 30 s going back about a year.
 */
export function* syntheticAuditEvents(count: number, start = new Date(Date.now() - count * 30_000)): Generator<BulkAuditEvent> {
  const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  for (let i = 0; i < count; i++) {
    const user = i % 200;
    const action = AUDIT_ACTIONS[(i * 7) % AUDIT_ACTIONS.length]!;
    const targetType = ["Session", "User", "Service", "ApiToken"][i % 4]!;
    yield {
      at: new Date(start.getTime() + i * 30_000),
      actorId: `user${String(user).padStart(4, "0")}`,
      actorLabel: `person${user}@example.com`,
      ip: `10.0.${user % 32}.${(i % 250) + 1}`,
      userAgent,
      action,
      targetType,
      targetId: `${targetType.toLowerCase()}-${i % 5_000}`,
      changes: JSON.stringify({ field: "status", from: "old", to: "new", note: `synthetic event ${i}` }),
    };
  }
}
