#!/usr/bin/env node
/**
 * The demo deployment target's commands (the COMMAND driver runs them through /bin/sh; plain node,
 * no curl needed). State lives in the demo backends' directory (lib/demo/backends.ts):
 *
 *   node scripts/demo-target.mjs preflight --state DIR   state directory writable, backend answers
 *   node scripts/demo-target.mjs deploy --state DIR      puts $OPS_VERSION on $OPS_COLOUR, then waits
 *                                                        until $OPS_URL/health reports it
 *   node scripts/demo-target.mjs switch --state DIR      records $OPS_COLOUR as the live colour of
 *                                                        $OPS_SERVICE/$OPS_ENVIRONMENT
 *   node scripts/demo-target.mjs status --state DIR      prints that live colour ("blue"/"green"),
 *                                                        or nothing when none was ever switched to
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, accessSync, constants } from "node:fs";
import path from "node:path";

const [command, ...rest] = process.argv.slice(2);
const stateAt = rest.indexOf("--state");
const stateDir = stateAt >= 0 ? rest[stateAt + 1] : undefined;

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (!stateDir) fail("usage: demo-target.mjs preflight|deploy|switch|status --state DIR");

function colourFromEnv() {
  const colour = (process.env.OPS_COLOUR ?? "").toLowerCase();
  if (colour !== "blue" && colour !== "green") fail(`OPS_COLOUR must be blue or green; got "${process.env.OPS_COLOUR ?? ""}"`);
  return colour;
}

function liveFile() {
  const slug = (s) => (s ?? "").toLowerCase().replace(/[^a-z0-9.-]+/g, "-");
  const service = slug(process.env.OPS_SERVICE);
  if (!service) fail("OPS_SERVICE is not set");
  return path.join(stateDir, `live-${service}-${slug(process.env.OPS_ENVIRONMENT) || "default"}`);
}

/** Temp file + rename: a reader never sees half a file. */
function writeAtomically(file, content) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

async function health(url) {
  const res = await fetch(`${url.replace(/\/+$/, "")}/health`, { signal: AbortSignal.timeout(2000) });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

switch (command) {
  case "preflight": {
    mkdirSync(stateDir, { recursive: true });
    accessSync(stateDir, constants.W_OK);
    console.log(`state directory ${stateDir} is writable`);
    if (process.env.OPS_URL) {
      const { status, body } = await health(process.env.OPS_URL).catch((err) => fail(`${process.env.OPS_URL} does not answer: ${err.message}`));
      console.log(`${process.env.OPS_URL} answers ${status} (${body.colour ?? "?"} ${body.version ?? "?"})`);
    }
    break;
  }
  case "deploy": {
    const colour = colourFromEnv();
    const version = (process.env.OPS_VERSION ?? "").trim();
    if (!version) fail("OPS_VERSION is not set");
    writeAtomically(path.join(stateDir, `${colour}.version`), `${version}\n`);
    console.log(`installed ${version} on ${colour}`);
    if (process.env.OPS_URL) {
      // The backend reads its version per request: confirm it is the one now running.
      for (let attempt = 1; ; attempt++) {
        const answer = await health(process.env.OPS_URL).catch((err) => ({ status: 0, body: { error: err.message } }));
        if (answer.body.version === version) {
          console.log(`${colour} at ${process.env.OPS_URL} reports version ${version}`);
          break;
        }
        if (attempt >= 10) fail(`${colour} at ${process.env.OPS_URL} still reports ${answer.body.version ?? answer.body.error ?? answer.status}`);
        await sleep(200);
      }
    }
    break;
  }
  case "switch": {
    const colour = colourFromEnv();
    writeAtomically(liveFile(), `${colour}\n`);
    console.log(`traffic for ${process.env.OPS_SERVICE} (${process.env.OPS_ENVIRONMENT ?? "?"}) now goes to ${colour}`);
    break;
  }
  case "status": {
    let live = "";
    try {
      live = readFileSync(liveFile(), "utf8").trim();
    } catch {
      // Nothing switched yet: no colour is live.
    }
    if (live) console.log(live);
    break;
  }
  default:
    fail(`unknown command "${command ?? ""}": preflight, deploy, switch or status`);
}
