import { db as defaultDb, type Db, type DeploymentStepKind, type Prisma } from "../db/client.ts";
import { logger } from "../observability/logger.ts";
import type { StepLogger } from "./types.ts";

/*
 * The deployment's live log: DeploymentLog rows the UI polls (after the last id it has), each also
 * written as a pino line for the server log. A StepLogger is synchronous for drivers, so its rows
 * are queued in order on one chain per deployment; flush() waits for them (the runner flushes
 * before each step's status changes, so the log never lags behind the step list).
 */

export type LogLevel = "info" | "warn" | "error";

const MAX_MESSAGE = 4_000;

/** Appends one line now (inside the caller's transaction when given one). */
export async function appendLog(
  client: Db | Prisma.TransactionClient,
  deploymentId: string,
  step: DeploymentStepKind | null,
  message: string,
  level: LogLevel = "info",
): Promise<void> {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
  logger[level]({ deploymentId, step }, `deployment: ${text}`);
  await client.deploymentLog.create({ data: { deploymentId, step, level, message: text } });
}

export type DeploymentLog = {
  /** A StepLogger writing lines for `step`. */
  forStep(step: DeploymentStepKind | null): StepLogger;
  /** Waits until every queued line is written. */
  flush(): Promise<void>;
};

export function deploymentLog(deploymentId: string, client: Db = defaultDb): DeploymentLog {
  let chain: Promise<void> = Promise.resolve();
  return {
    forStep(step) {
      return (message, level = "info") => {
        chain = chain.then(() =>
          appendLog(client, deploymentId, step, message, level).catch((err: unknown) => {
            logger.error({ err, deploymentId }, "could not write a deployment log line");
          }),
        );
      };
    },
    flush() {
      return chain;
    },
  };
}
