/**
 * One CSV cell (RFC 4180). Cells a spreadsheet would run as a formula (starting with = + - @, or a
 * tab or carriage return that some programs skip before looking) get a leading apostrophe, as
 * OWASP recommends, so opening an export cannot execute what an attacker typed into a field.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const neutralised = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(neutralised) ? `"${neutralised.replace(/"/g, '""')}"` : neutralised;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** A CSV (text or stream) as a download that is never cached nor sniffed into something else. */
export function csvResponse(body: string | ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/["\\\r\n]/g, "")}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
