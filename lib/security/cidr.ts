import { BlockList, isIP } from "node:net";

export type ParsedCidr = { ok: true; cidr: string; family: 4 | 6 } | { ok: false; message: string };

/**
 * Validates an address or CIDR range typed by a person and returns it in one canonical form, so
 * the same range cannot be stored twice under two spellings: host bits cleared, a bare address
 * becomes /32 or /128, IPv6 lowercase and compressed (RFC 5952), and an IPv4-mapped IPv6 range
 * (::ffff:10.0.0.0/104) becomes the IPv4 range it means, because client addresses are compared
 * in their IPv4 form.
 */
export function parseCidr(text: string): ParsedCidr {
  const input = text.trim();
  const [address = "", bits, extra] = input.split("/");
  const family = isIP(address);
  if (extra !== undefined || family === 0) {
    return { ok: false, message: `"${input}" is not an IP address or CIDR range (for example 203.0.113.0/24 or 2001:db8::/32).` };
  }
  const max = family === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) {
    return { ok: false, message: `The prefix length after "/" must be a whole number from 0 to ${max}.` };
  }
  const prefix = bits === undefined ? max : Number(bits);
  if (prefix > max) {
    return { ok: false, message: `An IPv${family} prefix length must be from 0 to ${max}; "${input}" has /${prefix}.` };
  }
  let bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  let len = prefix;
  if (family === 6 && prefix >= 96 && isIpv4Mapped(bytes)) {
    bytes = bytes.slice(12);
    len = prefix - 96;
  }
  const masked = bytes.map((b, i) => b & maskByte(len, i));
  const canonical = masked.length === 4 ? masked.join(".") : formatIpv6(masked);
  const resultFamily = masked.length === 4 ? 4 : 6;
  // A second opinion from node:net, the same code that matches addresses at run time.
  try {
    new BlockList().addSubnet(canonical, len, resultFamily === 4 ? "ipv4" : "ipv6");
  } catch {
    return { ok: false, message: `"${input}" is not a valid CIDR range.` };
  }
  return { ok: true, cidr: `${canonical}/${len}`, family: resultFamily };
}

function maskByte(prefix: number, index: number): number {
  const bitsInByte = Math.min(8, Math.max(0, prefix - index * 8));
  return (0xff << (8 - bitsInByte)) & 0xff;
}

function ipv4Bytes(address: string): number[] {
  return address.split(".").map(Number);
}

function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function isIpv4Mapped(bytes: number[]): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (2+) of zero groups written as "::". */
function formatIpv6(bytes: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
