import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Maps a request path to the app route that serves it ("/changes/[id]"), so metrics are labelled
 * by route pattern and their cardinality stays bounded whatever paths clients send.
 */
type RouteEntry = { page: string; regex: string };
type Manifest = { staticRoutes?: RouteEntry[]; dynamicRoutes?: RouteEntry[] };

export type RoutePatternMatcher = (pathname: string) => string;

export function routeMatcherFromManifest(manifest: Manifest): RoutePatternMatcher {
  const statics = new Map((manifest.staticRoutes ?? []).map((r) => [r.page, r.page]));
  const dynamics = (manifest.dynamicRoutes ?? []).map((r) => ({
    page: r.page,
    re: new RegExp(r.regex),
  }));
  return (pathname) => {
    if (pathname.startsWith("/_next/static/")) return "/_next/static";
    if (pathname.startsWith("/_next/")) return "/_next";
    const clean = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
    const hit = statics.get(clean);
    if (hit) return hit;
    for (const d of dynamics) if (d.re.test(clean)) return d.page;
    return "(unmatched)";
  };
}

export function loadRouteMatcher(distDir = path.join(process.cwd(), ".next")): RoutePatternMatcher {
  try {
    const manifest = JSON.parse(readFileSync(path.join(distDir, "routes-manifest.json"), "utf8")) as Manifest;
    return routeMatcherFromManifest(manifest);
  } catch {
    // Development server: no manifest yet; label everything by its first segment.
    return (pathname) => `/${pathname.split("/")[1] ?? ""}`;
  }
}
