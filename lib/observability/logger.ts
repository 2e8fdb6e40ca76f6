import pino from "pino";

/**
 * Structured JSON logs (one line per event) for log shippers. Secrets are redacted by path so a
 * careless `logger.info({ req })` cannot leak credentials.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "ops-portal" },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
