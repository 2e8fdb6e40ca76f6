import { createHash, timingSafeEqual } from "node:crypto";

/** When METRICS_TOKEN is set, scrapers must send it as a bearer token; compared in constant time. */
export function metricsScrapeAllowed(authorization: string | null, token = process.env.METRICS_TOKEN): boolean {
  if (!token) return true;
  const presented = authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
