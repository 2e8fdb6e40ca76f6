-- CreateTable
CREATE TABLE "ServiceStakeholder" (
    "serviceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("serviceId", "userId"),
    CONSTRAINT "ServiceStakeholder_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ServiceStakeholder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "risk" TEXT NOT NULL,
    "riskAssessment" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "implementationPlan" TEXT NOT NULL DEFAULT '',
    "rollbackPlan" TEXT NOT NULL DEFAULT '',
    "plannedStart" DATETIME NOT NULL,
    "plannedEnd" DATETIME NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "requesterId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "contentDigest" TEXT NOT NULL DEFAULT '',
    "freezeOverrideReason" TEXT NOT NULL DEFAULT '',
    "submittedAt" DATETIME,
    "decidedAt" DATETIME,
    "scheduledAt" DATETIME,
    "closedAt" DATETIME,
    "retrospectiveAt" DATETIME,
    "retrospectiveById" TEXT,
    "retrospectiveNotes" TEXT NOT NULL DEFAULT '',
    "pirServiceVerification" TEXT NOT NULL DEFAULT '',
    "pirPerformanceValidation" TEXT NOT NULL DEFAULT '',
    "pirSecurityConfirmation" TEXT NOT NULL DEFAULT '',
    "pirDocumentationUpdate" TEXT NOT NULL DEFAULT '',
    "pirById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChangeRequest_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ChangeRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeStakeholder" (
    "changeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "uatResult" TEXT,
    "uatNotes" TEXT NOT NULL DEFAULT '',
    "uatAt" DATETIME,
    "uatDigest" TEXT NOT NULL DEFAULT '',

    PRIMARY KEY ("changeId", "userId"),
    CONSTRAINT "ChangeStakeholder_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChangeStakeholder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeEvidence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "changeId" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL DEFAULT '',
    "fileId" TEXT,
    "verifiedAt" DATETIME,
    "recordedById" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'ui',
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersededAt" DATETIME,
    CONSTRAINT "ChangeEvidence_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChangeEvidence_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "EvidenceFile" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ChangeEvidence_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "changeId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvidenceFile_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EvidenceFile_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeApproval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "changeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "rollbackAcknowledged" BOOLEAN NOT NULL DEFAULT false,
    "digest" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "staleAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChangeApproval_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChangeApproval_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "changeId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChangeComment_changeId_fkey" FOREIGN KEY ("changeId") REFERENCES "ChangeRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChangeComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FreezeWindow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelledAt" DATETIME,
    CONSTRAINT "FreezeWindow_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" DATETIME,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EmailOutbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT NOT NULL DEFAULT ''
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
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Service" ("createdAt", "description", "environment", "id", "name", "ownerTeam", "tier", "updatedAt") SELECT "createdAt", "description", "environment", "id", "name", "ownerTeam", "tier", "updatedAt" FROM "Service";
DROP TABLE "Service";
ALTER TABLE "new_Service" RENAME TO "Service";
CREATE INDEX "Service_ownerTeam_idx" ON "Service"("ownerTeam");
CREATE UNIQUE INDEX "Service_name_environment_key" ON "Service"("name", "environment");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ServiceStakeholder_userId_idx" ON "ServiceStakeholder"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRequest_number_key" ON "ChangeRequest"("number");

-- CreateIndex
CREATE INDEX "ChangeRequest_status_plannedStart_idx" ON "ChangeRequest"("status", "plannedStart");

-- CreateIndex
CREATE INDEX "ChangeRequest_serviceId_plannedStart_idx" ON "ChangeRequest"("serviceId", "plannedStart");

-- CreateIndex
CREATE INDEX "ChangeRequest_requesterId_createdAt_idx" ON "ChangeRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_plannedStart_idx" ON "ChangeRequest"("plannedStart");

-- CreateIndex
CREATE INDEX "ChangeRequest_plannedEnd_idx" ON "ChangeRequest"("plannedEnd");

-- CreateIndex
CREATE INDEX "ChangeRequest_createdAt_idx" ON "ChangeRequest"("createdAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_type_createdAt_idx" ON "ChangeRequest"("type", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_risk_createdAt_idx" ON "ChangeRequest"("risk", "createdAt");

-- CreateIndex
CREATE INDEX "ChangeStakeholder_userId_idx" ON "ChangeStakeholder"("userId");

-- CreateIndex
CREATE INDEX "ChangeEvidence_changeId_item_supersededAt_idx" ON "ChangeEvidence"("changeId", "item", "supersededAt");

-- CreateIndex
CREATE INDEX "ChangeEvidence_fileId_idx" ON "ChangeEvidence"("fileId");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceFile_storageKey_key" ON "EvidenceFile"("storageKey");

-- CreateIndex
CREATE INDEX "EvidenceFile_changeId_idx" ON "EvidenceFile"("changeId");

-- CreateIndex
CREATE INDEX "ChangeApproval_changeId_staleAt_idx" ON "ChangeApproval"("changeId", "staleAt");

-- CreateIndex
CREATE INDEX "ChangeApproval_userId_idx" ON "ChangeApproval"("userId");

-- CreateIndex
CREATE INDEX "ChangeComment_changeId_createdAt_idx" ON "ChangeComment"("changeId", "createdAt");

-- CreateIndex
CREATE INDEX "FreezeWindow_startsAt_endsAt_idx" ON "FreezeWindow"("startsAt", "endsAt");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE INDEX "EmailOutbox_sentAt_nextAttemptAt_idx" ON "EmailOutbox"("sentAt", "nextAttemptAt");
