import { BlockList, isIP } from "node:net";

/** Header the server sets (overwriting anything a client sent) with the address it trusts. */
export const CLIENT_IP_HEADER = "x-ops-client-ip";

export function normaliseIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** A BlockList from "10.0.0.0/8, 127.0.0.1, ::1" style text. */
export function cidrList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of ranges) {
    const [addr, bits] = raw.trim().split("/");
    if (!addr) continue;
    const family = isIP(addr) === 6 ? "ipv6" : isIP(addr) === 4 ? "ipv4" : null;
    if (!family) throw new Error(`"${raw}" is not an IP address or CIDR range`);
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

function contains(list: BlockList, ip: string): boolean {
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  return isIP(ip) !== 0 && list.check(ip, family);
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy, in which case the
 * right-most X-Forwarded-For entry not itself a trusted proxy. An untrusted peer's X-Forwarded-For
 * is ignored, so a client cannot claim another address.
 */
export function clientIpOf(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: BlockList,
): string {
  let ip = normaliseIp(peer);
  if (!contains(trustedProxies, ip)) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((h) => normaliseIp(h.trim()))
    .filter((h) => isIP(h) !== 0);
  while (hops.length) {
    ip = hops.pop() as string;
    if (!contains(trustedProxies, ip)) return ip;
  }
  return ip;
}
