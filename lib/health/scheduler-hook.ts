/*
 * The process-wide probe scheduler hook. server.ts starts the health worker, which registers here;
 * check edits call kickHealthScheduler() after their transaction commits so the schedule picks the
 * change up at once instead of at its next reload. Kept on globalThis because Next may load this
 * module through another module instance than server.ts does. Without a worker (tests, scripts) a
 * kick does nothing.
 */
type Holder = { reload: (() => void) | null };
const KEY = Symbol.for("ops-portal.health-scheduler");
const holder = globalThis as unknown as { [KEY]?: Holder };
const state = (holder[KEY] ??= { reload: null });

export function registerHealthScheduler(reload: (() => void) | null): void {
  state.reload = reload;
}

export function kickHealthScheduler(): void {
  state.reload?.();
}
