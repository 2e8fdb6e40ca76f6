-- CreateTable
CREATE TABLE "HealthCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT 'GET',
    "expectedStatusMin" INTEGER NOT NULL DEFAULT 200,
    "expectedStatusMax" INTEGER NOT NULL DEFAULT 399,
    "keyword" TEXT NOT NULL DEFAULT '',
    "tlsExpiryWarnDays" INTEGER NOT NULL DEFAULT 14,
    "ignoreTlsErrors" BOOLEAN NOT NULL DEFAULT false,
    "host" TEXT NOT NULL DEFAULT '',
    "port" INTEGER NOT NULL DEFAULT 0,
    "intervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "timeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "retries" INTEGER NOT NULL DEFAULT 1,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "HealthCheck_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthCheckState" (
    "checkId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "statusSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" DATETIME,
    "lastOk" BOOLEAN,
    "lastLatencyMs" REAL,
    "lastStatusCode" INTEGER,
    "lastError" TEXT NOT NULL DEFAULT '',
    "certExpiresAt" DATETIME,
    "uptime24h" REAL,
    "uptime7d" REAL,
    "uptime30d" REAL,
    "p95LatencyMs24h" REAL,
    "summarizedAt" DATETIME,
    CONSTRAINT "HealthCheckState_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "HealthCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthSample" (
    "checkId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "latencyMs" REAL NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT NOT NULL DEFAULT '',

    PRIMARY KEY ("checkId", "at"),
    CONSTRAINT "HealthSample_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "HealthCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthRollup" (
    "checkId" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "latencySum" REAL NOT NULL,
    "p50Ms" REAL NOT NULL,
    "p95Ms" REAL NOT NULL,
    "maxMs" REAL NOT NULL,

    PRIMARY KEY ("checkId", "resolution", "bucketStart"),
    CONSTRAINT "HealthRollup_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "HealthCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "checkId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "maintenanceId" TEXT,
    CONSTRAINT "HealthEvent_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "HealthCheck" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MaintenanceWindow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serviceId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" DATETIME,
    CONSTRAINT "MaintenanceWindow_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricPanel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serviceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MetricPanel_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricSeries" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "labelsHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" DATETIME
);

-- CreateTable
CREATE TABLE "MetricPoint" (
    "seriesId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "value" REAL NOT NULL,

    PRIMARY KEY ("seriesId", "at"),
    CONSTRAINT "MetricPoint_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MetricSeries" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkerLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Service" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "ownerTeam" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "repoUrl" TEXT NOT NULL DEFAULT '',
    "runbookUrl" TEXT NOT NULL DEFAULT '',
    "dashboardUrl" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "promNodeSelector" TEXT NOT NULL DEFAULT '',
    "promAppSelector" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Service" ("createdAt", "dashboardUrl", "description", "environment", "id", "name", "ownerTeam", "repoUrl", "runbookUrl", "tier", "updatedAt") SELECT "createdAt", "dashboardUrl", "description", "environment", "id", "name", "ownerTeam", "repoUrl", "runbookUrl", "tier", "updatedAt" FROM "Service";
DROP TABLE "Service";
ALTER TABLE "new_Service" RENAME TO "Service";
CREATE INDEX "Service_ownerTeam_idx" ON "Service"("ownerTeam");
CREATE UNIQUE INDEX "Service_name_environment_key" ON "Service"("name", "environment");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "HealthCheck_updatedAt_idx" ON "HealthCheck"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HealthCheck_serviceId_name_key" ON "HealthCheck"("serviceId", "name");

-- CreateIndex
CREATE INDEX "HealthSample_at_idx" ON "HealthSample"("at");

-- CreateIndex
CREATE INDEX "HealthRollup_resolution_bucketStart_idx" ON "HealthRollup"("resolution", "bucketStart");

-- CreateIndex
CREATE INDEX "HealthEvent_serviceId_at_idx" ON "HealthEvent"("serviceId", "at");

-- CreateIndex
CREATE INDEX "HealthEvent_checkId_at_idx" ON "HealthEvent"("checkId", "at");

-- CreateIndex
CREATE INDEX "HealthEvent_at_idx" ON "HealthEvent"("at");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_serviceId_endsAt_idx" ON "MaintenanceWindow"("serviceId", "endsAt");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_endsAt_idx" ON "MaintenanceWindow"("endsAt");

-- CreateIndex
CREATE INDEX "MetricPanel_serviceId_position_idx" ON "MetricPanel"("serviceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "MetricSeries_name_labelsHash_key" ON "MetricSeries"("name", "labelsHash");
