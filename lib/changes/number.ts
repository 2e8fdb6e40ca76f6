/** Change numbers as people say them: CHG-000123. */
export function formatChangeNumber(n: number): string {
  return `CHG-${String(n).padStart(6, "0")}`;
}

/** Accepts "CHG-000123", "chg-123" or "123"; null for anything else. */
export function parseChangeNumber(s: string): number | null {
  const m = /^(?:chg-?)?0*(\d{1,9})$/i.exec(s.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}
