/**
 * First-load JavaScript of the sign-in page: every script the HTML references, fetched from the
 * production server as a browser would, raw and gzip-compressed bytes.
 *
 *   npm run build && npm run bench:bundle
 */
import { gzipSync } from "node:zlib";
import { startServer, stop } from "./lib.ts";

const server = await startServer(3392);
try {
  const html = await (await fetch(`${server.url}/sign-in`)).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!))];
  let raw = 0;
  let gz = 0;
  const rows: [string, number, number][] = [];
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, server.url))).arrayBuffer());
    const z = gzipSync(body).length;
    raw += body.length;
    gz += z;
    rows.push([src, body.length, z]);
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`sign-in page first-load JS: ${srcs.length} scripts, ${kb(raw)} raw, ${kb(gz)} gzip`);
  for (const [src, r, z] of rows.sort((a, b) => b[1] - a[1])) console.log(`  ${kb(r).padStart(9)} ${kb(z).padStart(9)}  ${src}`);
  console.log(`HTML: ${kb(Buffer.byteLength(html))} raw, ${kb(gzipSync(html).length)} gzip`);
} finally {
  await stop(server.child);
}
