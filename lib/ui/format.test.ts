import { describe, expect, it } from "vitest";
import { formatDateTime, timeAgo } from "./format.ts";

describe("time formatting", () => {
  const now = new Date("2026-11-27T14:05:00Z");
  it("writes times in UTC and says so", () => {
    expect(formatDateTime(now)).toBe("27 Nov 2026, 14:05 UTC");
  });
  it("says how long ago in words people use, then falls back to the date", () => {
    expect(timeAgo(new Date(now.getTime() - 20_000), now)).toBe("just now");
    expect(timeAgo(new Date(now.getTime() - 5 * 60_000), now)).toBe("5 min ago");
    expect(timeAgo(new Date(now.getTime() - 3 * 3_600_000), now)).toBe("3 h ago");
    expect(timeAgo(new Date(now.getTime() - 30 * 3_600_000), now)).toBe("yesterday");
    expect(timeAgo(new Date(now.getTime() - 10 * 86_400_000), now)).toBe("17 Nov 2026");
  });
});
