import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { UNITS, type Unit } from "../charts/format.ts";
import type { TimeRange } from "../charts/range.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import { parseInput } from "../validation/parse.ts";
import { getDatasource } from "./datasource.ts";
import { queryRange, type QueryResult, type RangeQuery } from "./prometheus.ts";

/*
 * A service's Infrastructure panels: ready-made ones built from node_exporter and HTTP metric names
 * with the service's label selectors, and custom PromQL panels people add. Selectors are checked
 * to be a plain list of label matchers, so what is spliced into the ready-made queries can only
 * ever narrow them, never add PromQL of its own.
 */

export const NO_DATASOURCE_MESSAGE = "No Prometheus data source is configured. An administrator can add one under Admin > Prometheus.";

// ---------------------------------------------------------------------------------------------
// Selectors

const MATCHER = String.raw`[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\\n]|\\.)*"`;
const SELECTOR_RE = new RegExp(String.raw`^\s*${MATCHER}(?:\s*,\s*${MATCHER})*\s*,?\s*$`);

/** True for "" or a comma-separated list of label matchers: `instance="db1:9100", job=~"node|db"`. */
export function isLabelMatcherList(value: string): boolean {
  return value.trim() === "" || SELECTOR_RE.test(value);
}

const ZSelector = (what: string, example: string) =>
  z
    .string()
    .trim()
    .max(500, `Keep the ${what} under 500 characters.`)
    .refine(isLabelMatcherList, `The ${what} is a list of label matchers such as ${example}: label="value" (or !=, =~, !~), separated by commas, values in double quotes.`)
    .transform((v) => v.replace(/\s*,\s*$/, ""));

export const ZSaveSelectorsInput = z.object({
  serviceId: z.string().trim().min(1, "Choose the service.").max(64),
  promNodeSelector: ZSelector("node selector", 'instance="db1:9100", job="node"').default(""),
  promAppSelector: ZSelector("app selector", 'job="checkout"').default(""),
});
export type TSaveSelectorsInput = z.input<typeof ZSaveSelectorsInput>;

/** `{a="b",c="d"}` from fixed matchers plus a (validated) selector; empty parts left out. */
function matchers(...parts: string[]): string {
  return `{${parts.map((p) => p.trim()).filter(Boolean).join(",")}}`;
}

// ---------------------------------------------------------------------------------------------
// Ready-made panels

export type PanelGroup = "node" | "app";

export type BuiltinPanel = {
  key: string;
  title: string;
  unit: Unit;
  group: PanelGroup;
  yDomain?: [number, number];
  queries: (selector: string) => RangeQuery[];
};

const REAL_FS = 'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|autofs|fuse.lxcfs"';
const REAL_NIC = 'device!~"lo|veth.*|docker.*|br-.*|virbr.*|cni.*|flannel.*"';

/** The ready-made panels, in the order the tab shows them. `$__rate_interval` follows the step. */
export const BUILTIN_PANELS: readonly BuiltinPanel[] = [
  {
    key: "cpu",
    title: "CPU used",
    unit: "percent",
    group: "node",
    yDomain: [0, 100],
    queries: (sel) => [{ query: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total${matchers('mode="idle"', sel)}[$__rate_interval])))` }],
  },
  {
    key: "memory",
    title: "Memory used",
    unit: "percent",
    group: "node",
    yDomain: [0, 100],
    queries: (sel) => [{ query: `100 * (1 - node_memory_MemAvailable_bytes${matchers(sel)} / node_memory_MemTotal_bytes${matchers(sel)})` }],
  },
  {
    key: "disk",
    title: "Disk used",
    unit: "percent",
    group: "node",
    yDomain: [0, 100],
    queries: (sel) => [
      { query: `100 * (1 - node_filesystem_avail_bytes${matchers(REAL_FS, sel)} / node_filesystem_size_bytes${matchers(REAL_FS, sel)})` },
    ],
  },
  {
    key: "network",
    title: "Network traffic",
    unit: "bytes_per_second",
    group: "node",
    queries: (sel) => [
      { legend: "receive", query: `sum by (instance) (rate(node_network_receive_bytes_total${matchers(REAL_NIC, sel)}[$__rate_interval]))` },
      { legend: "transmit", query: `sum by (instance) (rate(node_network_transmit_bytes_total${matchers(REAL_NIC, sel)}[$__rate_interval]))` },
    ],
  },
  {
    key: "requests",
    title: "Request rate",
    unit: "rps",
    group: "app",
    queries: (sel) => [{ query: `sum(rate(http_requests_total${matchers(sel)}[$__rate_interval]))`, legend: "requests" }],
  },
  {
    key: "errors",
    title: "Error rate (5xx share)",
    unit: "percent",
    group: "app",
    queries: (sel) => [
      {
        legend: "5xx",
        // "or vector(0)": no 5xx at all is a 0 % share, not a missing series.
        query: `100 * (sum(rate(http_requests_total${matchers('status=~"5.."', sel)}[$__rate_interval])) or vector(0)) / sum(rate(http_requests_total${matchers(sel)}[$__rate_interval]))`,
      },
    ],
  },
  {
    key: "latency",
    title: "Latency p95",
    unit: "seconds",
    group: "app",
    queries: (sel) => [
      { legend: "p95", query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket${matchers(sel)}[$__rate_interval])))` },
    ],
  },
];

export function builtinPanel(key: string): BuiltinPanel | undefined {
  return BUILTIN_PANELS.find((p) => p.key === key);
}

// ---------------------------------------------------------------------------------------------
// Custom panels

export const ZPanelQuery = z
  .string({ message: "Enter a PromQL query." })
  .trim()
  .min(1, "Enter a PromQL query.")
  .max(4000, "Keep the query under 4,000 characters.");

export const ZSavePanelInput = z.object({
  serviceId: z.string().trim().min(1, "Choose the service.").max(64),
  /** Empty: a new panel. */
  panelId: z.string().trim().max(64).default(""),
  title: z.string({ message: "Give the panel a title." }).trim().min(1, "Give the panel a title.").max(120, "Keep the title under 120 characters."),
  query: ZPanelQuery,
  unit: z.enum(UNITS, { message: "Choose a unit." }).default(""),
});
export type TSavePanelInput = z.input<typeof ZSavePanelInput>;

export const ZDeletePanelInput = z.object({ panelId: z.string().trim().min(1).max(64) });

export type CustomPanel = { id: string; title: string; query: string; unit: Unit; position: number };

function asUnit(u: string): Unit {
  return (UNITS as readonly string[]).includes(u) ? (u as Unit) : "";
}

export async function listCustomPanels(serviceId: string): Promise<CustomPanel[]> {
  const rows = await db.metricPanel.findMany({
    where: { serviceId },
    select: { id: true, title: true, query: true, unit: true, position: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((r) => ({ ...r, unit: asUnit(r.unit) }));
}

export type InfrastructureView = {
  service: { id: string; name: string; promNodeSelector: string; promAppSelector: string };
  customPanels: CustomPanel[];
  datasourceConfigured: boolean;
};

export async function infrastructureView(serviceId: string): Promise<InfrastructureView | null> {
  const service = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, promNodeSelector: true, promAppSelector: true } });
  if (!service) return null;
  const [customPanels, ds] = await Promise.all([listCustomPanels(serviceId), getDatasource()]);
  return { service, customPanels, datasourceConfigured: ds !== null };
}

const actorOf = (u: CurrentUser) => ({ id: u.id, label: u.email });

/** Saves a service's selectors (health.manage); audited with from -> to. */
export async function saveSelectors(actor: CurrentUser, raw: TSaveSelectorsInput | Record<string, unknown>, context: RequestContext): Promise<{ changed: string[] }> {
  assertPermission(actor, "health.manage");
  const parsed = parseInput(ZSaveSelectorsInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  return db.$transaction(async (tx) => {
    const before = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, environment: true, promNodeSelector: true, promAppSelector: true } });
    if (!before) throw new AppError("not_found", "That service no longer exists.");
    const fields = ["promNodeSelector", "promAppSelector"] as const;
    const changed = fields.filter((f) => before[f] !== input[f]);
    if (!changed.length) return { changed: [] };
    await tx.service.update({ where: { id: before.id }, data: { promNodeSelector: input.promNodeSelector, promAppSelector: input.promAppSelector } });
    await recordAudit(tx, {
      action: "metrics.selectors_saved",
      actor: actorOf(actor),
      context,
      target: { type: "Service", id: before.id },
      changes: {
        service: `${before.name} (${before.environment.toLowerCase()})`,
        ...Object.fromEntries(changed.map((f) => [f, { from: before[f], to: input[f] }])),
      },
    });
    return { changed: [...changed] };
  });
}

/** Creates or edits a custom panel (health.manage); audited with its query. */
export async function savePanel(actor: CurrentUser, raw: TSavePanelInput | Record<string, unknown>, context: RequestContext): Promise<{ id: string; created: boolean }> {
  assertPermission(actor, "health.manage");
  const parsed = parseInput(ZSavePanelInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  return db.$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, environment: true } });
    if (!service) throw new AppError("not_found", "That service no longer exists.");
    const fields = { title: input.title, query: input.query, unit: input.unit };
    let id: string;
    let before: { title: string; query: string; unit: string } | null = null;
    if (input.panelId) {
      before = await tx.metricPanel.findFirst({ where: { id: input.panelId, serviceId: service.id }, select: { title: true, query: true, unit: true } });
      if (!before) throw new AppError("not_found", "That panel no longer exists. Reload the page.");
      await tx.metricPanel.update({ where: { id: input.panelId }, data: fields });
      id = input.panelId;
    } else {
      const last = await tx.metricPanel.findFirst({ where: { serviceId: service.id }, orderBy: { position: "desc" }, select: { position: true } });
      const created = await tx.metricPanel.create({ data: { ...fields, serviceId: service.id, position: (last?.position ?? -1) + 1, createdById: actor.id }, select: { id: true } });
      id = created.id;
    }
    await recordAudit(tx, {
      action: "metrics.panel_saved",
      actor: actorOf(actor),
      context,
      target: { type: "MetricPanel", id },
      changes: {
        service: `${service.name} (${service.environment.toLowerCase()})`,
        created: !before,
        ...fields,
        ...(before ? { before } : {}),
      },
    });
    return { id, created: !before };
  });
}

export async function deletePanel(actor: CurrentUser, raw: { panelId: string } | Record<string, unknown>, context: RequestContext): Promise<{ serviceId: string }> {
  assertPermission(actor, "health.manage");
  const parsed = parseInput(ZDeletePanelInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  return db.$transaction(async (tx) => {
    const panel = await tx.metricPanel.findUnique({ where: { id: parsed.data.panelId }, include: { service: { select: { name: true, environment: true } } } });
    if (!panel) throw new AppError("not_found", "That panel was already deleted.");
    await tx.metricPanel.delete({ where: { id: panel.id } });
    await recordAudit(tx, {
      action: "metrics.panel_deleted",
      actor: actorOf(actor),
      context,
      target: { type: "MetricPanel", id: panel.id },
      changes: { service: `${panel.service.name} (${panel.service.environment.toLowerCase()})`, title: panel.title, query: panel.query, unit: panel.unit },
    });
    return { serviceId: panel.serviceId };
  });
}

// ---------------------------------------------------------------------------------------------
// Running panels

export type PanelData = QueryResult & { title: string; unit: Unit; yDomain?: [number, number]; notice: string | null };

async function requireDatasource() {
  const ds = await getDatasource();
  if (!ds) throw new AppError("not_found", NO_DATASOURCE_MESSAGE);
  return ds;
}

function withNotice(result: QueryResult, extra: Omit<PanelData, keyof QueryResult | "notice">): PanelData {
  const notice = result.truncated
    ? `Showing ${result.truncated.shown} of ${result.truncated.total} series: narrow the query (a selector or a sum by) to see the rest.`
    : null;
  return { ...result, ...extra, notice };
}

const SELECTOR_HINT: Record<PanelGroup, string> = {
  node: "Set this service's node selector (e.g. instance=\"db1:9100\") to see its CPU, memory, disk and network.",
  app: "Set this service's app selector (e.g. job=\"checkout\") to see its request rate, errors and latency.",
};

/**
 * One panel of a service over a range: a ready-made key ("cpu", …) or "custom:<panel id>". Custom
 * PromQL only ever comes from a saved panel here; unsaved queries go through previewQuery.
 */
export async function runServicePanel(serviceId: string, panel: string, range: Pick<TimeRange, "from" | "to">, signal?: AbortSignal): Promise<PanelData> {
  const ds = await requireDatasource();
  if (panel.startsWith("custom:")) {
    const row = await db.metricPanel.findFirst({ where: { id: panel.slice("custom:".length), serviceId }, select: { title: true, query: true, unit: true } });
    if (!row) throw new AppError("not_found", "That panel no longer exists.");
    const result = await queryRange(ds, [{ query: row.query }], range, signal);
    return withNotice(result, { title: row.title, unit: asUnit(row.unit) });
  }
  const def = builtinPanel(panel);
  if (!def) throw new AppError("not_found", "There is no such panel.");
  const service = await db.service.findUnique({ where: { id: serviceId }, select: { promNodeSelector: true, promAppSelector: true } });
  if (!service) throw new AppError("not_found", "That service no longer exists.");
  const selector = def.group === "node" ? service.promNodeSelector : service.promAppSelector;
  if (!selector.trim()) throw new AppError("invalid_input", SELECTOR_HINT[def.group]);
  // Saved selectors were checked on save; checked again in case a row was edited by other means.
  if (!isLabelMatcherList(selector)) throw new AppError("invalid_input", "This service's selector is not a valid list of label matchers: save it again on the Infrastructure tab.");
  const result = await queryRange(ds, def.queries(selector), range, signal);
  return withNotice(result, { title: def.title, unit: def.unit, yDomain: def.yDomain });
}

/** "Preview" in the panel editor: an unsaved query, for people who may save panels. */
export async function previewQuery(
  actor: CurrentUser,
  input: { query: string; unit: Unit; title?: string },
  range: Pick<TimeRange, "from" | "to">,
  signal?: AbortSignal,
): Promise<PanelData> {
  assertPermission(actor, "health.manage");
  const parsed = parseInput(ZPanelQuery, input.query);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, { query: parsed.message });
  const ds = await requireDatasource();
  const result = await queryRange(ds, [{ query: parsed.data }], range, signal);
  return withNotice(result, { title: input.title || "Preview", unit: input.unit });
}

/** The portal's own request rate and p95 over time (admin API-performance page). */
export const PORTAL_PANELS: readonly BuiltinPanel[] = [
  {
    key: "portal-requests",
    title: "Portal request rate",
    unit: "rps",
    group: "app",
    queries: (sel) => [
      { legend: "all", query: `sum(rate(http_requests_total${matchers(sel)}[$__rate_interval]))` },
      { legend: "5xx", query: `sum(rate(http_requests_total${matchers('status=~"5.."', sel)}[$__rate_interval])) or vector(0)` },
    ],
  },
  {
    key: "portal-latency",
    title: "Portal latency",
    unit: "seconds",
    group: "app",
    queries: (sel) => [
      { legend: "p50", query: `histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket${matchers(sel)}[$__rate_interval])))` },
      { legend: "p95", query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket${matchers(sel)}[$__rate_interval])))` },
    ],
  },
];

/** The label every series of the portal's own registry carries (lib/observability/metrics.ts). */
export const PORTAL_SELECTOR = 'app="ops-portal"';

export async function runPortalPanel(actor: CurrentUser, panel: string, range: Pick<TimeRange, "from" | "to">, signal?: AbortSignal): Promise<PanelData> {
  assertPermission(actor, "metrics.configure");
  const def = PORTAL_PANELS.find((p) => p.key === panel);
  if (!def) throw new AppError("not_found", "There is no such panel.");
  const ds = await requireDatasource();
  const result = await queryRange(ds, def.queries(PORTAL_SELECTOR), range, signal);
  return withNotice(result, { title: def.title, unit: def.unit });
}
