import { headers } from "next/headers";
import { PEER_IP_HEADER } from "./ip-gate.ts";
import type { Caller } from "./ip-policy.ts";

/** The socket peer and X-Forwarded-For of this request, as server.ts received them. */
export async function requestCaller(): Promise<Caller> {
  const h = await headers();
  return { peer: h.get(PEER_IP_HEADER) ?? "", forwardedFor: h.get("x-forwarded-for") ?? undefined };
}
