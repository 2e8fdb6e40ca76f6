/**
 * What evidence files the portal accepts, decided by their content (magic bytes, or UTF-8 text
 * without control characters) and checked against the extension the uploader gave. No React, no I/O.
 */

export type EvidenceType = {
  contentType: string;
  label: string;
  extensions: readonly string[];
  /** Served with its own content type on download; otherwise application/octet-stream. */
  inline: boolean;
};

const BINARY = {
  pdf: { contentType: "application/pdf", label: "a PDF", extensions: ["pdf"], inline: true },
  png: { contentType: "image/png", label: "a PNG image", extensions: ["png"], inline: true },
  jpeg: { contentType: "image/jpeg", label: "a JPEG image", extensions: ["jpg", "jpeg"], inline: true },
  zip: { contentType: "application/zip", label: "a ZIP archive", extensions: ["zip"], inline: true },
  gzip: { contentType: "application/gzip", label: "a gzip archive", extensions: ["gz", "tgz"], inline: true },
} as const satisfies Record<string, EvidenceType>;

const TEXT = {
  txt: { contentType: "text/plain", label: "a text file", extensions: ["txt", "log", "md", ""], inline: true },
  csv: { contentType: "text/csv", label: "a CSV file", extensions: ["csv"], inline: true },
  json: { contentType: "application/json", label: "a JSON file", extensions: ["json"], inline: true },
  // Markup can carry scripts: downloaded as bytes, never rendered with the stored type.
  xml: { contentType: "application/xml", label: "an XML file", extensions: ["xml"], inline: false },
  html: { contentType: "text/html", label: "an HTML file", extensions: ["html", "htm"], inline: false },
} as const satisfies Record<string, EvidenceType>;

const ALL: readonly EvidenceType[] = [...Object.values(BINARY), ...Object.values(TEXT)];

export const ACCEPTED_DESCRIPTION = "PDF, PNG, JPEG, ZIP, gzip or text (txt, log, csv, json, xml, html)";

/** For a file input's accept attribute. */
export const ACCEPT_ATTRIBUTE = ALL.flatMap((t) => t.extensions.filter(Boolean).map((e) => `.${e}`)).join(",");

/** How many leading bytes sniffing needs. */
export const SNIFF_BYTES = 8;

function startsWith(head: Uint8Array, ...bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** The binary type announced by the first bytes, if any. */
export function sniffMagic(head: Uint8Array): EvidenceType | null {
  if (startsWith(head, 0x25, 0x50, 0x44, 0x46, 0x2d)) return BINARY.pdf; // %PDF-
  if (startsWith(head, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return BINARY.png;
  if (startsWith(head, 0xff, 0xd8, 0xff)) return BINARY.jpeg;
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04) || startsWith(head, 0x50, 0x4b, 0x05, 0x06)) return BINARY.zip;
  if (startsWith(head, 0x1f, 0x8b)) return BINARY.gzip;
  return null;
}

/**
 * Tracks whether a stream of bytes is text: valid UTF-8 with no control characters other than
 * tab, line breaks, form feed and ESC (coloured CI logs). Fed chunk by chunk; holds no content.
 */
export class TextDetector {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private text = true;

  push(chunk: Uint8Array): void {
    if (!this.text) return;
    for (const b of chunk) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) {
        this.text = false;
        return;
      }
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.text = false;
    }
  }

  isText(): boolean {
    if (!this.text) return false;
    try {
      this.decoder.decode(); // a multi-byte sequence cut off at the end is not text
      return true;
    } catch {
      return false;
    }
  }
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
}

export type Classified = { ok: true; type: EvidenceType } | { ok: false; message: string };

/** The accepted type of a file, from its first bytes, whether all of it is text, and its name. */
export function classify(head: Uint8Array, isText: boolean, fileName: string): Classified {
  const ext = extensionOf(fileName);
  const claimed = ext ? ALL.find((t) => t.extensions.includes(ext)) : undefined;
  const magic = sniffMagic(head);
  if (magic) {
    if (!ext || magic.extensions.includes(ext)) return { ok: true, type: magic };
    return {
      ok: false,
      message: claimed
        ? `"${fileName}" is named like ${claimed.label} but its content is ${magic.label}. Rename it or upload the right file.`
        : `Files ending in .${ext} are not accepted. Upload ${ACCEPTED_DESCRIPTION}.`,
    };
  }
  if (isText) {
    const text = Object.values(TEXT).find((t) => (t.extensions as readonly string[]).includes(ext));
    if (text) return { ok: true, type: text };
    if (claimed) return { ok: false, message: `"${fileName}" is named like ${claimed.label} but its content is plain text.` };
    return { ok: false, message: `Files ending in .${ext} are not accepted. Upload ${ACCEPTED_DESCRIPTION}.` };
  }
  if (claimed) return { ok: false, message: `"${fileName}" is named like ${claimed.label} but its content is not.` };
  if (ext) return { ok: false, message: `Files ending in .${ext} are not accepted. Upload ${ACCEPTED_DESCRIPTION}.` };
  return { ok: false, message: `This kind of file is not accepted. Upload ${ACCEPTED_DESCRIPTION}.` };
}

/** The Content-Type to serve a stored file with: its own when safe to name, bytes otherwise. */
export function downloadContentType(storedType: string): string {
  const type = ALL.find((t) => t.contentType === storedType);
  if (!type?.inline) return "application/octet-stream";
  return type.contentType.startsWith("text/") || type.contentType === "application/json"
    ? `${type.contentType}; charset=utf-8`
    : type.contentType;
}
