/**
 * The auto-refresh periods every chart page offers (components/charts/auto-refresh-toggle.tsx).
 * Plain data, so server pages can validate a `refresh` URL value against it too.
 */
export const REFRESH_CHOICES = [
  { ms: 0, label: "Off" },
  { ms: 15_000, label: "15 s" },
  { ms: 60_000, label: "1 min" },
  { ms: 300_000, label: "5 min" },
] as const;

export const REFRESH_MS: readonly number[] = REFRESH_CHOICES.map((c) => c.ms);
