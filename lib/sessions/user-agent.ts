/**
 * A readable name for a User-Agent header ("Chrome 156 on Linux"), good enough for people to
 * recognise their own devices in a session list. Not for security decisions: clients choose it.
 */
export function describeUserAgent(ua: string): string {
  const text = ua.trim();
  if (!text) return "Unknown device";
  const browser = browserOf(text);
  const os = osOf(text);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? text.slice(0, 60);
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\b(?:OPR|Opera)\/(\d+)/, "Opera"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, "Firefox"],
  [/\bHeadlessChrome\/(\d+)/, "Headless Chrome"],
  [/\b(?:Chrome|CriOS)\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)(?:\.\d+)*.*\bSafari\//, "Safari"],
  [/\bcurl\/(\d+(?:\.\d+)?)/, "curl"],
  [/\bnode-fetch|\bundici|\bnode\b/i, "Node.js"],
];

function browserOf(ua: string): string | null {
  for (const [re, name] of BROWSERS) {
    const match = ua.match(re);
    if (match) return match[1] ? `${name} ${match[1]}` : name;
  }
  return null;
}

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

function osOf(ua: string): string | null {
  return SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? null;
}
