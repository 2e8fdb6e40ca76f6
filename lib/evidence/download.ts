/**
 * Response headers for an evidence file download. The file is always an attachment; the browser
 * may not guess another type (nosniff); and should it be rendered anyway, the sandbox CSP gives it
 * an opaque origin with no scripts, so it cannot act as the signed-in user.
 */
export function downloadHeaders(file: { fileName: string; contentType: string; size: number; sha256: string }): Record<string, string> {
  return {
    "content-type": file.contentType,
    "content-length": String(file.size),
    "content-disposition": contentDisposition(file.fileName),
    "content-security-policy": "sandbox; default-src 'none'",
    "x-content-type-options": "nosniff",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "private, no-store",
    // RFC 9530: lets a client check what it received against the sha256 approvals are bound to.
    "repr-digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
  };
}

/** `attachment` with an ASCII fallback name and the real one in RFC 5987/6266 `filename*`. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
