/**
 * An event's `changes` JSON as "key: value" lines a person can read. Nested objects become dotted
 * keys (filters.actor), lists are joined with commas, anything that is not a JSON object is shown
 * as it is stored.
 */
export function changeEntries(changes: string): { key: string; value: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(changes);
  } catch {
    return changes ? [{ key: "", value: changes }] : [];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return [{ key: "", value: show(parsed) }];
  }
  const out: { key: string; value: string }[] = [];
  const walk = (obj: object, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length) walk(v, key);
      else out.push({ key, value: show(v) });
    }
  };
  walk(parsed, "");
  return out;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "object") return "—"; // an empty object
  return String(v);
}
