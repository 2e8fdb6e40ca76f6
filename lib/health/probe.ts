import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import type { ProbeResult, ProbeSpec } from "./types.ts";

/*
 * One probe of a health check, HTTP(S) or TCP, with node built-ins only (the scheduler runs
 * hundreds a second, so this stays cheap: no agent, no body kept unless a keyword is looked for).
 *
 * - Every probe opens a fresh connection (`agent: false`, `Connection: close`): a service that
 *   stopped accepting connections cannot hide behind a pooled socket, and the latency includes the
 *   connect as a real client's would.
 * - `timeoutMs` bounds the whole probe (DNS, connect, TLS, headers and body).
 * - Latency: from the start to the end of the body (HTTP; at most MAX_BODY_BYTES are read, then the
 *   connection is dropped) or to the established connection (TCP), in ms with 0.1 ms resolution.
 * - HTTPS: the peer certificate's expiry is reported in certExpiresAt whenever a certificate was
 *   received. A certificate expiring within tlsExpiryWarnDays leaves ok=true (the service answers)
 *   and puts a warning in `error` (see ProbeResult). An invalid certificate (expired, self-signed,
 *   wrong host) fails the probe unless ignoreTlsErrors is set.
 * - Never throws: every failure is a result with ok=false and a sentence in `error`.
 */

/** The most body read, for the keyword and for latency; the rest is not downloaded. */
export const MAX_BODY_BYTES = 1024 * 1024;
const USER_AGENT = "ops-portal-health-probe";
const DAY_MS = 86_400_000;

const round = (ms: number) => Math.round(ms * 10) / 10;

export function probeOnce(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult> {
  return spec.kind === "TCP" ? tcpProbe(spec, signal) : httpProbe(spec, signal);
}

type Finish = (r: { ok: boolean; statusCode?: number | null; error: string; certExpiresAt?: Date | null }) => void;

/** The shared frame: start time, the whole-probe timer, the abort signal, exactly one result. */
function run(spec: ProbeSpec, signal: AbortSignal | undefined, body: (finish: Finish, onCleanup: (fn: () => void) => void) => void): Promise<ProbeResult> {
  const at = new Date();
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const cleanups: (() => void)[] = [];
    const finish: Finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      for (const fn of cleanups) fn();
      resolve({ at, ok: r.ok, latencyMs: round(performance.now() - started), statusCode: r.statusCode ?? null, error: r.error, certExpiresAt: r.certExpiresAt ?? null });
    };
    const timeoutMs = Math.max(1, spec.timeoutMs);
    const timer = setTimeout(() => finish({ ok: false, error: `No answer within ${timeoutMs} ms.` }), timeoutMs);
    const onAbort = () => finish({ ok: false, error: "Stopped before it finished." });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      body(finish, (fn) => cleanups.push(fn));
    } catch (err) {
      finish({ ok: false, error: describeError(err) });
    }
  });
}

function tcpProbe(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult> {
  return run(spec, signal, (finish, onCleanup) => {
    if (!spec.host || !(spec.port > 0 && spec.port < 65536)) return finish({ ok: false, error: "No host and port to connect to." });
    const socket = net.connect({ host: spec.host, port: spec.port });
    onCleanup(() => socket.destroy());
    socket.once("connect", () => finish({ ok: true, error: "" }));
    socket.once("error", (err) => finish({ ok: false, error: describeError(err) }));
  });
}

function httpProbe(spec: ProbeSpec, signal?: AbortSignal): Promise<ProbeResult> {
  return run(spec, signal, (finish, onCleanup) => {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      return finish({ ok: false, error: `Not a valid URL: ${spec.url}` });
    }
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") return finish({ ok: false, error: `Only http:// and https:// URLs can be probed, not ${url.protocol}` });
    const options: https.RequestOptions = {
      method: spec.method || "GET",
      agent: false,
      headers: { Connection: "close", "User-Agent": USER_AGENT, Accept: "*/*" },
    };
    if (secure) options.rejectUnauthorized = !spec.ignoreTlsErrors;
    const req = (secure ? https : http).request(url, options, (res) => {
      const statusCode = res.statusCode ?? 0;
      const certExpiresAt = secure ? peerCertExpiry(res.socket as TLSSocket) : null;
      const keyword = spec.keyword;
      let seen = 0;
      let text = "";
      const judge = () => {
        let error = "";
        let ok = statusCode >= spec.expectedStatusMin && statusCode <= spec.expectedStatusMax;
        if (!ok) error = `HTTP ${statusCode} is outside the expected ${spec.expectedStatusMin}-${spec.expectedStatusMax}.`;
        else if (keyword && !text.includes(keyword)) {
          ok = false;
          error = `The body does not contain "${keyword}"${seen >= MAX_BODY_BYTES ? ` (first ${MAX_BODY_BYTES} bytes read)` : ""}.`;
        } else if (certExpiresAt) error = certWarning(certExpiresAt, spec.tlsExpiryWarnDays);
        finish({ ok, statusCode, error, certExpiresAt });
      };
      res.on("data", (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - seen;
        seen += chunk.length;
        // Only a keyword needs the text; chunk edges are safe because the text accumulates.
        if (keyword) text += chunk.toString("utf8", 0, Math.min(chunk.length, room));
        if (seen >= MAX_BODY_BYTES) judge(); // enough: the cleanup drops the connection
      });
      res.once("end", judge);
      res.once("error", (err) => finish({ ok: false, statusCode, error: describeError(err), certExpiresAt }));
    });
    onCleanup(() => req.destroy());
    req.once("error", (err) => finish({ ok: false, error: describeError(err) }));
    req.end();
  });
}

function peerCertExpiry(socket: TLSSocket | null): Date | null {
  const validTo = socket?.getPeerCertificate?.()?.valid_to;
  if (!validTo) return null;
  const t = Date.parse(validTo);
  return Number.isFinite(t) ? new Date(t) : null;
}

/** The warning for a certificate close to (or past) expiry; "" when there is nothing to say. */
export function certWarning(expiresAt: Date, warnDays: number, now = Date.now()): string {
  const left = expiresAt.getTime() - now;
  const date = expiresAt.toISOString().slice(0, 10);
  if (left <= 0) return `Warning: the TLS certificate expired on ${date}.`;
  if (warnDays <= 0 || left > warnDays * DAY_MS) return "";
  const days = Math.floor(left / DAY_MS);
  return `Warning: the TLS certificate expires ${days === 0 ? "within a day" : `in ${days} day${days === 1 ? "" : "s"}`} (${date}).`;
}

const CODES: Record<string, string> = {
  ECONNREFUSED: "Connection refused.",
  ECONNRESET: "The connection was reset.",
  ENOTFOUND: "The host name does not resolve.",
  EAI_AGAIN: "The host name could not be resolved (DNS lookup failed).",
  EHOSTUNREACH: "The host is unreachable.",
  ENETUNREACH: "The network is unreachable.",
  ETIMEDOUT: "The connection timed out.",
  EPIPE: "The connection was closed while sending.",
  CERT_HAS_EXPIRED: "The TLS certificate has expired.",
  DEPTH_ZERO_SELF_SIGNED_CERT: "The TLS certificate is self-signed (set 'ignore TLS errors' to accept it).",
  SELF_SIGNED_CERT_IN_CHAIN: "The TLS certificate chain has a self-signed certificate (set 'ignore TLS errors' to accept it).",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The TLS certificate cannot be verified.",
  ERR_TLS_CERT_ALTNAME_INVALID: "The TLS certificate is not valid for this host name.",
};

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? "";
  const known = CODES[code];
  if (known) return known;
  const message = e instanceof Error ? e.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
