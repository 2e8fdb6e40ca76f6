-- CreateTable
CREATE TABLE "DeploymentTarget" (
    "serviceId" TEXT NOT NULL PRIMARY KEY,
    "driver" TEXT NOT NULL,
    "blueUrl" TEXT NOT NULL,
    "greenUrl" TEXT NOT NULL,
    "healthPath" TEXT NOT NULL DEFAULT '/health',
    "healthSuccesses" INTEGER NOT NULL DEFAULT 3,
    "healthIntervalMs" INTEGER NOT NULL DEFAULT 1000,
    "healthTimeoutMs" INTEGER NOT NULL DEFAULT 60000,
    "validationWindowMs" INTEGER NOT NULL DEFAULT 60000,
    "validationIntervalMs" INTEGER NOT NULL DEFAULT 500,
    "maxErrorRatePct" REAL NOT NULL DEFAULT 1,
    "maxP95LatencyMs" INTEGER NOT NULL DEFAULT 500,
    "driverConfig" TEXT NOT NULL DEFAULT '{}',
    "webhookSecretSealed" TEXT NOT NULL DEFAULT '',
    "liveColour" TEXT,
    "liveCheckedAt" DATETIME,
    "activeDeploymentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeploymentTarget_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "changeId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "fromColour" TEXT,
    "toColour" TEXT NOT NULL,
    "liveColour" TEXT,
    "triggeredById" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'ui',
    "rollbackRequestedAt" DATETIME,
    "rollbackRequestedById" TEXT,
    "rollbackReason" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL DEFAULT '',
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "recoveredAt" DATETIME,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liveAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Deployment_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Deployment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Deployment_triggeredById_fkey" FOREIGN KEY ("triggeredById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentStep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deploymentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "summary" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "DeploymentStep_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deploymentId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "step" TEXT,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "DeploymentLog_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentTarget_activeDeploymentId_key" ON "DeploymentTarget"("activeDeploymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_number_key" ON "Deployment"("number");

-- CreateIndex
CREATE INDEX "Deployment_serviceId_startedAt_idx" ON "Deployment"("serviceId", "startedAt");

-- CreateIndex
CREATE INDEX "Deployment_status_leaseExpiresAt_idx" ON "Deployment"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "Deployment_changeId_startedAt_idx" ON "Deployment"("changeId", "startedAt");

-- CreateIndex
CREATE INDEX "Deployment_startedAt_idx" ON "Deployment"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_changeId_idempotencyKey_key" ON "Deployment"("changeId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentStep_deploymentId_position_key" ON "DeploymentStep"("deploymentId", "position");

-- CreateIndex
CREATE INDEX "DeploymentLog_deploymentId_id_idx" ON "DeploymentLog"("deploymentId", "id");
