/**
 * Process-wide lifecycle flags shared between the custom server and route handlers (which may be
 * loaded through a different module loader, hence globalThis).
 */
const KEY = Symbol.for("ops-portal.lifecycle");
type Lifecycle = { shuttingDown: boolean; startedAt: number };
const holder = globalThis as unknown as { [KEY]?: Lifecycle };

export function lifecycle(): Lifecycle {
  return (holder[KEY] ??= { shuttingDown: false, startedAt: Date.now() });
}
