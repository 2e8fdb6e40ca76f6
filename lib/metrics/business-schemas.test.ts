import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { canonicalLabels, formatIssuePath, parseMetricsPush } from "./business.ts";
import { ZBusinessMetricQuery } from "./business-schemas.ts";

const NOW = new Date("2026-11-27T12:00:00Z");
const point = (over: Record<string, unknown> = {}) => ({ at: "2026-11-27T11:00:00Z", value: 1, ...over });
const series = (over: Record<string, unknown> = {}) => ({ name: "orders_placed", labels: { region: "eu" }, points: [point()], ...over });

function problem(body: unknown): { message: string; fields: Record<string, string> } {
  try {
    parseMetricsPush(body, NOW, 400);
  } catch (err) {
    if (err instanceof AppError) return { message: err.message, fields: err.fieldErrors ?? {} };
    throw err;
  }
  throw new Error("the body was accepted");
}

describe("push validation messages name the exact item", () => {
  it.each([
    ["a value that is not a number", { series: [series(), series(), series({ points: [point(), point(), point(), point(), point(), point({ value: "42" })] })] }, "series[2].points[5].value: must be a finite number"],
    ["an infinite value (1e999 in JSON)", { series: [series({ points: [point({ value: Number.POSITIVE_INFINITY })] })] }, "series[0].points[0].value: must be a finite number"],
    ["a metric name with a dash", { series: [series({ name: "orders-placed" })] }, "series[0].name: must match [a-zA-Z_:][a-zA-Z0-9_:]*"],
    ["a metric name starting with a digit", { series: [series({ name: "9lives" })] }, "series[0].name: must match"],
    ["an empty metric name", { series: [series({ name: "" })] }, "series[0].name: must not be empty"],
    ["a label name with a colon", { series: [series({ labels: { "re:gion": "eu" } })] }, "series[0].labels.re:gion: label names must match [a-zA-Z_][a-zA-Z0-9_]*"],
    ["a reserved label name", { series: [series({ labels: { __name__: "x" } })] }, 'series[0].labels.__name__: label names starting with "__" are reserved'],
    ["a label value that is not a string", { series: [series({ labels: { shard: 3 } })] }, "series[0].labels.shard: label values must be strings"],
    ["an empty label value", { series: [series({ labels: { region: "" } })] }, "series[0].labels.region: must not be empty"],
    ["a label value over 200 characters", { series: [series({ labels: { region: "x".repeat(201) } })] }, "series[0].labels.region: label values must be at most 200 characters"],
    ["more than 20 labels", { series: [series({ labels: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`l${i}`, "v"])) })] }, "series[0].labels: at most 20 labels per series (got 21)"],
    ["a time without a zone", { series: [series({ points: [point({ at: "2026-11-27T11:00:00" })] })] }, "series[0].points[0].at: must be an ISO 8601 time with a zone"],
    ["a time that is not a date", { series: [series({ points: [point({ at: "yesterday" })] })] }, "series[0].points[0].at: must be an ISO 8601 time with a zone"],
    ["epoch seconds instead of milliseconds", { series: [series({ points: [point({ at: 1_795_773_600 })] })] }, "series[0].points[0].at: looks like epoch seconds"],
    ["a time more than 5 minutes ahead", { series: [series({ points: [point({ at: "2026-11-27T12:05:01Z" })] })] }, "series[0].points[0].at: is more than 5 minutes in the future (2026-11-27T12:05:01.000Z)"],
    ["a time older than the retention", { series: [series({ points: [point({ at: "2025-10-22T11:59:59Z" })] })] }, "series[0].points[0].at: is older than the 400-day retention"],
    ["a series without points", { series: [series({ points: [] })] }, "series[0].points: must have at least one point"],
    ["an unknown field (a typo)", { series: [series({ label: { region: "eu" } })] }, 'series[0]: unknown field "label" (allowed: name, labels, points)'],
    ["no series at all", { series: [] }, "series: must have at least one series"],
    ["not an object", [1, 2], 'body: send an object {"series": […]}'],
    ["more than 1,000 series", { series: Array.from({ length: 1_001 }, () => series()) }, "series: at most 1,000 series per push (got 1,001): split it"],
    ["more than 10,000 points", { series: [series({ points: Array.from({ length: 10_001 }, () => point()) })] }, "series: at most 10,000 points per push (got 10,001): split it"],
  ])("refuses %s", (_what, body, expected) => {
    expect(problem(body).message).toContain(expected);
  });

  it("accepts ISO times with an offset and epoch milliseconds, 5 minutes ahead at most", () => {
    const body = parseMetricsPush(
      { series: [series({ points: [point({ at: "2026-11-27T12:30:00+01:00" }), point({ at: NOW.getTime() + 5 * 60_000 }), point({ at: "2026-11-27T11:00:00.123Z" })] })] },
      NOW,
      400,
    );
    expect(body.series[0]!.points.map((p) => p.at.toISOString())).toEqual(["2026-11-27T11:30:00.000Z", "2026-11-27T12:05:00.000Z", "2026-11-27T11:00:00.123Z"]);
    expect(body.series[0]!.labels).toEqual({ region: "eu" });
  });

  it("counts every problem in the message and lists the first 50 in fields", () => {
    const bad = { series: [series({ points: Array.from({ length: 120 }, () => point({ value: null })) })] };
    const { message, fields } = problem(bad);
    expect(message).toBe("series[0].points[0].value: must be a finite number (and 119 more problems; nothing was stored)");
    expect(Object.keys(fields)).toHaveLength(50);
    expect(fields["series[0].points[49].value"]).toBe("must be a finite number");
  });

  it("writes paths as JSON paths and labels canonically whatever their order", () => {
    expect(formatIssuePath(["series", 2, "points", 5, "value"])).toBe("series[2].points[5].value");
    expect(formatIssuePath([])).toBe("body");
    expect(canonicalLabels({ b: "2", a: "1" })).toEqual(canonicalLabels({ a: "1", b: "2" }));
    expect(canonicalLabels({ a: "1", b: "2" }).json).toBe('{"a":"1","b":"2"}');
  });
});

describe("chart query", () => {
  it("takes label.<name> filters, defaults to avg over 24 h and refuses an unknown aggregation", () => {
    expect(ZBusinessMetricQuery.parse({ name: "orders_placed", "label.region": "eu", "label.plan": "" })).toMatchObject({
      name: "orders_placed",
      range: "24h",
      agg: "avg",
      labels: { region: "eu" },
      format: "json",
    });
    expect(ZBusinessMetricQuery.safeParse({ name: "orders_placed", agg: "median" }).success).toBe(false);
    expect(ZBusinessMetricQuery.safeParse({ name: "orders placed" }).success).toBe(false);
  });
});
