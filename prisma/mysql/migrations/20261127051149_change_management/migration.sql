-- AlterTable
ALTER TABLE `Service` ADD COLUMN `repoUrl` TEXT NOT NULL DEFAULT '',
    ADD COLUMN `runbookUrl` TEXT NOT NULL DEFAULT '',
    ADD COLUMN `dashboardUrl` TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE `ServiceStakeholder` (
    `serviceId` VARCHAR(191) NOT NULL,
    `userId` VARCHAR(191) NOT NULL,

    INDEX `ServiceStakeholder_userId_idx`(`userId`),
    PRIMARY KEY (`serviceId`, `userId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Counter` (
    `name` VARCHAR(191) NOT NULL,
    `value` INTEGER NOT NULL,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeRequest` (
    `id` VARCHAR(191) NOT NULL,
    `number` INTEGER NOT NULL,
    `title` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `type` ENUM('STANDARD', 'NORMAL', 'EMERGENCY') NOT NULL,
    `risk` ENUM('LOW', 'MEDIUM', 'HIGH') NOT NULL,
    `riskAssessment` TEXT NOT NULL DEFAULT '',
    `description` TEXT NOT NULL DEFAULT '',
    `implementationPlan` TEXT NOT NULL DEFAULT '',
    `rollbackPlan` TEXT NOT NULL DEFAULT '',
    `plannedStart` DATETIME(3) NOT NULL,
    `plannedEnd` DATETIME(3) NOT NULL,
    `version` VARCHAR(191) NOT NULL DEFAULT '',
    `status` ENUM('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'SCHEDULED', 'DEPLOYING', 'DEPLOYED', 'ROLLED_BACK', 'FAILED', 'CLOSED', 'CANCELLED') NOT NULL DEFAULT 'DRAFT',
    `requesterId` VARCHAR(191) NOT NULL,
    `revision` INTEGER NOT NULL DEFAULT 0,
    `contentDigest` VARCHAR(191) NOT NULL DEFAULT '',
    `freezeOverrideReason` TEXT NOT NULL DEFAULT '',
    `submittedAt` DATETIME(3) NULL,
    `decidedAt` DATETIME(3) NULL,
    `scheduledAt` DATETIME(3) NULL,
    `closedAt` DATETIME(3) NULL,
    `retrospectiveAt` DATETIME(3) NULL,
    `retrospectiveById` VARCHAR(191) NULL,
    `retrospectiveNotes` TEXT NOT NULL DEFAULT '',
    `pirServiceVerification` TEXT NOT NULL DEFAULT '',
    `pirPerformanceValidation` TEXT NOT NULL DEFAULT '',
    `pirSecurityConfirmation` TEXT NOT NULL DEFAULT '',
    `pirDocumentationUpdate` TEXT NOT NULL DEFAULT '',
    `pirById` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `ChangeRequest_number_key`(`number`),
    INDEX `ChangeRequest_status_plannedStart_idx`(`status`, `plannedStart`),
    INDEX `ChangeRequest_serviceId_plannedStart_idx`(`serviceId`, `plannedStart`),
    INDEX `ChangeRequest_requesterId_createdAt_idx`(`requesterId`, `createdAt`),
    INDEX `ChangeRequest_plannedStart_idx`(`plannedStart`),
    INDEX `ChangeRequest_plannedEnd_idx`(`plannedEnd`),
    INDEX `ChangeRequest_createdAt_idx`(`createdAt`),
    INDEX `ChangeRequest_type_createdAt_idx`(`type`, `createdAt`),
    INDEX `ChangeRequest_risk_createdAt_idx`(`risk`, `createdAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeStakeholder` (
    `changeId` VARCHAR(191) NOT NULL,
    `userId` VARCHAR(191) NOT NULL,
    `uatResult` ENUM('PASSED', 'FAILED') NULL,
    `uatNotes` TEXT NOT NULL DEFAULT '',
    `uatAt` DATETIME(3) NULL,
    `uatDigest` VARCHAR(191) NOT NULL DEFAULT '',

    INDEX `ChangeStakeholder_userId_idx`(`userId`),
    PRIMARY KEY (`changeId`, `userId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeEvidence` (
    `id` VARCHAR(191) NOT NULL,
    `changeId` VARCHAR(191) NOT NULL,
    `item` ENUM('SECURITY_SCAN', 'PERFORMANCE_TEST', 'BACKUP_VERIFICATION') NOT NULL,
    `result` ENUM('PASSED', 'FAILED') NOT NULL,
    `summary` TEXT NOT NULL DEFAULT '',
    `link` TEXT NOT NULL DEFAULT '',
    `fileId` VARCHAR(191) NULL,
    `verifiedAt` DATETIME(3) NULL,
    `recordedById` VARCHAR(191) NOT NULL,
    `source` VARCHAR(191) NOT NULL DEFAULT 'ui',
    `recordedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `supersededAt` DATETIME(3) NULL,

    INDEX `ChangeEvidence_changeId_item_supersededAt_idx`(`changeId`, `item`, `supersededAt`),
    INDEX `ChangeEvidence_fileId_idx`(`fileId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `EvidenceFile` (
    `id` VARCHAR(191) NOT NULL,
    `changeId` VARCHAR(191) NOT NULL,
    `fileName` VARCHAR(191) NOT NULL,
    `contentType` VARCHAR(191) NOT NULL,
    `size` INTEGER NOT NULL,
    `sha256` VARCHAR(191) NOT NULL,
    `storageKey` VARCHAR(191) NOT NULL,
    `uploadedById` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `EvidenceFile_storageKey_key`(`storageKey`),
    INDEX `EvidenceFile_changeId_idx`(`changeId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeApproval` (
    `id` VARCHAR(191) NOT NULL,
    `changeId` VARCHAR(191) NOT NULL,
    `userId` VARCHAR(191) NOT NULL,
    `decision` ENUM('APPROVED', 'REJECTED') NOT NULL,
    `comment` TEXT NOT NULL DEFAULT '',
    `rollbackAcknowledged` BOOLEAN NOT NULL DEFAULT false,
    `digest` VARCHAR(191) NOT NULL,
    `snapshot` TEXT NOT NULL,
    `staleAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `ChangeApproval_changeId_staleAt_idx`(`changeId`, `staleAt`),
    INDEX `ChangeApproval_userId_idx`(`userId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeComment` (
    `id` VARCHAR(191) NOT NULL,
    `changeId` VARCHAR(191) NOT NULL,
    `authorId` VARCHAR(191) NOT NULL,
    `body` TEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `ChangeComment_changeId_createdAt_idx`(`changeId`, `createdAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `FreezeWindow` (
    `id` VARCHAR(191) NOT NULL,
    `startsAt` DATETIME(3) NOT NULL,
    `endsAt` DATETIME(3) NOT NULL,
    `environment` ENUM('PRODUCTION', 'STAGING') NULL,
    `reason` TEXT NOT NULL,
    `createdById` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `cancelledAt` DATETIME(3) NULL,

    INDEX `FreezeWindow_startsAt_endsAt_idx`(`startsAt`, `endsAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Notification` (
    `id` VARCHAR(191) NOT NULL,
    `userId` VARCHAR(191) NOT NULL,
    `kind` VARCHAR(191) NOT NULL,
    `title` VARCHAR(191) NOT NULL,
    `body` TEXT NOT NULL DEFAULT '',
    `link` VARCHAR(191) NOT NULL DEFAULT '',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `readAt` DATETIME(3) NULL,

    INDEX `Notification_userId_readAt_createdAt_idx`(`userId`, `readAt`, `createdAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `EmailOutbox` (
    `id` VARCHAR(191) NOT NULL,
    `to` VARCHAR(191) NOT NULL,
    `subject` VARCHAR(191) NOT NULL,
    `text` TEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `sentAt` DATETIME(3) NULL,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `nextAttemptAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastError` TEXT NOT NULL DEFAULT '',

    INDEX `EmailOutbox_sentAt_nextAttemptAt_idx`(`sentAt`, `nextAttemptAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `ServiceStakeholder` ADD CONSTRAINT `ServiceStakeholder_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ServiceStakeholder` ADD CONSTRAINT `ServiceStakeholder_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeRequest` ADD CONSTRAINT `ChangeRequest_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeRequest` ADD CONSTRAINT `ChangeRequest_requesterId_fkey` FOREIGN KEY (`requesterId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeStakeholder` ADD CONSTRAINT `ChangeStakeholder_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeStakeholder` ADD CONSTRAINT `ChangeStakeholder_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeEvidence` ADD CONSTRAINT `ChangeEvidence_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeEvidence` ADD CONSTRAINT `ChangeEvidence_fileId_fkey` FOREIGN KEY (`fileId`) REFERENCES `EvidenceFile`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeEvidence` ADD CONSTRAINT `ChangeEvidence_recordedById_fkey` FOREIGN KEY (`recordedById`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `EvidenceFile` ADD CONSTRAINT `EvidenceFile_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `EvidenceFile` ADD CONSTRAINT `EvidenceFile_uploadedById_fkey` FOREIGN KEY (`uploadedById`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeApproval` ADD CONSTRAINT `ChangeApproval_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeApproval` ADD CONSTRAINT `ChangeApproval_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeComment` ADD CONSTRAINT `ChangeComment_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `ChangeComment` ADD CONSTRAINT `ChangeComment_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `FreezeWindow` ADD CONSTRAINT `FreezeWindow_createdById_fkey` FOREIGN KEY (`createdById`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Notification` ADD CONSTRAINT `Notification_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
