// @ts-check

// Evidence uploads (lib/evidence/storage.ts enforces the real limit, EVIDENCE_MAX_BYTES, 20 MB by
// default): the upload server action's body and the proxy's copy of a request body must both be able
// to hold a whole file plus the form around it, or Next would refuse it or cut it short first.
const evidenceMaxBytes = Number(process.env.EVIDENCE_MAX_BYTES) || 20 * 1024 * 1024;
const uploadBodyLimit = evidenceMaxBytes + 1024 * 1024;

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native drivers and loggers are loaded from node_modules at run time, not bundled.
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: uploadBodyLimit },
    proxyClientMaxBodySize: uploadBodyLimit,
  },
  // `npm test` type-checks the whole project with tsc; doing it again inside every build is waste.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: [
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-mariadb",
    "better-sqlite3",
    "mariadb",
    "pino",
    "prom-client",
    "@node-rs/argon2",
  ],
};

export default nextConfig;
