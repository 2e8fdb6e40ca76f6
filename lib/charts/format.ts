/** How chart values and axis ticks are written, per unit. */
export const UNITS = ["", "percent", "ms", "seconds", "bytes", "bytes_per_second", "rps"] as const;
export type Unit = (typeof UNITS)[number];

export const UNIT_LABELS: Record<Unit, string> = {
  "": "Plain number",
  percent: "Percent",
  ms: "Milliseconds",
  seconds: "Seconds",
  bytes: "Bytes",
  bytes_per_second: "Bytes per second",
  rps: "Requests per second",
};

function compact(n: number, digits = 3): string {
  if (n === 0) return "0";
  const abs = Math.abs(n);
  if (abs >= 1000 || abs < 0.01) return n.toExponential(1).replace("e+", "e");
  return Number(n.toPrecision(digits)).toString();
}

function scaled(n: number, base: number, suffixes: string[]): string {
  let i = 0;
  let v = n;
  while (Math.abs(v) >= base && i < suffixes.length - 1) {
    v /= base;
    i += 1;
  }
  return `${Number(v.toPrecision(3))} ${suffixes[i]}`;
}

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  switch (unit) {
    case "percent":
      return `${Number(value.toFixed(value >= 99 && value < 100 ? 3 : 1))} %`;
    case "ms":
      return value >= 1000 ? `${Number((value / 1000).toPrecision(3))} s` : `${Number(value.toPrecision(3))} ms`;
    case "seconds":
      return value < 1 ? `${Number((value * 1000).toPrecision(3))} ms` : `${Number(value.toPrecision(3))} s`;
    case "bytes":
      return scaled(value, 1024, ["B", "KiB", "MiB", "GiB", "TiB"]);
    case "bytes_per_second":
      return `${scaled(value, 1024, ["B", "KiB", "MiB", "GiB", "TiB"])}/s`;
    case "rps":
      return `${compact(value)} req/s`;
    default:
      return scaled(value, 1000, ["", "k", "M", "G", "T"]).trim();
  }
}
