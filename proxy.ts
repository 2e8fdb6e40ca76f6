import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/http/security-headers";

const EVIDENCE_DOWNLOAD = /^\/changes\/[^/]+\/files\/[^/]+\/?$/;

/**
 * Runs before every page and API request. Sets a Content-Security-Policy with a fresh nonce that
 * Next.js puts on its own inline scripts, so injected scripts cannot run.
 */
export function proxy(request: NextRequest) {
  // Evidence downloads carry their own, stricter policy (a sandbox: lib/evidence/download.ts); a
  // header set here would win over the route's, so they get none from here.
  if (EVIDENCE_DOWNLOAD.test(request.nextUrl.pathname)) return NextResponse.next();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)" }],
};
