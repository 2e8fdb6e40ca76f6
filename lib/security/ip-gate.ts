import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_IP_HEADER, clientIpOf, cidrList, normaliseIp } from "../http/client-ip.ts";
import { logger } from "../observability/logger.ts";
import { admit, envTrustedProxies, ipPolicy } from "./ip-policy.ts";

/** The socket peer, for the one check that must recompute the client address (lib/security/service.ts). */
export const PEER_IP_HEADER = "x-ops-peer-ip";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The small self-contained page a refused client sees; it names the address the portal saw. */
export function refusalPage(ip: string): string {
  const shown = escapeHtml(ip || "unknown");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access not allowed · Ops Portal</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #f8fafc; color: #0f172a; }
  main { max-width: 34rem; margin: 18vh auto 0; padding: 0 1.25rem; }
  .code { font-size: .875rem; font-weight: 600; color: #4f46e5; margin: 0; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: .25rem 0 .75rem; letter-spacing: -.01em; }
  p { color: #475569; }
  code { font: 600 .95em ui-monospace, SFMono-Regular, Menlo, monospace; background: #e2e8f0; color: #0f172a; padding: .1em .4em; border-radius: .3em; }
  @media (prefers-color-scheme: dark) {
    body { background: #020617; color: #f1f5f9; } p { color: #94a3b8; } .code { color: #818cf8; }
    code { background: #1e293b; color: #f1f5f9; }
  }
</style>
</head>
<body>
<main>
<p class="code">403</p>
<h1>Access from your IP address is not allowed</h1>
<p>Ops Portal only accepts connections from approved networks. Access from <code>${shown}</code> is not allowed.</p>
<p>If you need access from here, ask an administrator to add your network to the IP allow-list.</p>
</main>
</body>
</html>
`;
}

function refuse(req: IncomingMessage, res: ServerResponse, ip: string): void {
  const wantsHtml = (req.headers.accept ?? "").includes("text/html");
  res.writeHead(403, {
    "Content-Type": wantsHtml ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(wantsHtml ? refusalPage(ip) : `Access from ${ip || "unknown"} is not allowed.\n`);
}

/**
 * Runs first on every request: works out the client address (X-Forwarded-For only from a trusted
 * proxy), puts it in the header the app reads, and refuses clients outside a non-empty allow-list.
 * Returns whether Next should handle the request. Refusals are logged, not audited: a scanner
 * hammering the server must not be able to grow the audit trail.
 */
export async function ipGate(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const peer = normaliseIp(req.socket.remoteAddress);
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  // Whatever a client sent in these headers is replaced: only the server sets them.
  req.headers[PEER_IP_HEADER] = peer;
  const policy = await ipPolicy().catch((err: unknown) => {
    logger.error({ err }, "IP rules unavailable");
    return null;
  });
  if (!policy) {
    req.headers[CLIENT_IP_HEADER] = clientIpOf(peer, req.headers["x-forwarded-for"], cidrList(envTrustedProxies()));
    if (path === "/api/health") return true;
    res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5" }).end(
      "Service temporarily unavailable.\n",
    );
    return false;
  }
  const decision = admit(policy, { peer, forwardedFor: req.headers["x-forwarded-for"], path });
  req.headers[CLIENT_IP_HEADER] = decision.clientIp;
  if (decision.allowed) return true;
  logger.warn({ clientIp: decision.clientIp, peer, path }, "refused by the IP allow-list");
  refuse(req, res, decision.clientIp);
  return false;
}
