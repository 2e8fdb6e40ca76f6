// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native drivers and loggers are loaded from node_modules at run time, not bundled.
  experimental: { authInterrupts: true },
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
