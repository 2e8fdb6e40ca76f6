import { headers } from "next/headers";
import type { RequestContext } from "../audit/record.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";

/** Who is calling, for audit events: the server-verified client IP and the user agent. */
export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  return { ip: h.get(CLIENT_IP_HEADER) ?? "", userAgent: h.get("user-agent") ?? "" };
}

export function contextFromHeaders(h: Record<string, string | string[] | undefined>): RequestContext {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
  return { ip: one(h[CLIENT_IP_HEADER]), userAgent: one(h["user-agent"]) };
}
