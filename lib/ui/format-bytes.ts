/** "20 MB", "1.5 KB", "312 bytes" (binary units, as file managers show them). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return n === 1 ? "1 byte" : `${n} bytes`;
}
