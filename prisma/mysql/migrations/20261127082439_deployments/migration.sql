-- CreateTable
CREATE TABLE `DeploymentTarget` (
    `serviceId` VARCHAR(191) NOT NULL,
    `driver` ENUM('NGINX', 'COMMAND', 'WEBHOOK') NOT NULL,
    `blueUrl` VARCHAR(191) NOT NULL,
    `greenUrl` VARCHAR(191) NOT NULL,
    `healthPath` VARCHAR(191) NOT NULL DEFAULT '/health',
    `healthSuccesses` INTEGER NOT NULL DEFAULT 3,
    `healthIntervalMs` INTEGER NOT NULL DEFAULT 1000,
    `healthTimeoutMs` INTEGER NOT NULL DEFAULT 60000,
    `validationWindowMs` INTEGER NOT NULL DEFAULT 60000,
    `validationIntervalMs` INTEGER NOT NULL DEFAULT 500,
    `maxErrorRatePct` DOUBLE NOT NULL DEFAULT 1,
    `maxP95LatencyMs` INTEGER NOT NULL DEFAULT 500,
    `driverConfig` TEXT NOT NULL DEFAULT '{}',
    `webhookSecretSealed` TEXT NOT NULL DEFAULT '',
    `liveColour` ENUM('BLUE', 'GREEN') NULL,
    `liveCheckedAt` DATETIME(3) NULL,
    `activeDeploymentId` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `DeploymentTarget_activeDeploymentId_key`(`activeDeploymentId`),
    PRIMARY KEY (`serviceId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Deployment` (
    `id` VARCHAR(191) NOT NULL,
    `number` INTEGER NOT NULL,
    `changeId` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `version` VARCHAR(191) NOT NULL,
    `status` ENUM('RUNNING', 'ROLLING_BACK', 'SUCCEEDED', 'ROLLED_BACK', 'FAILED') NOT NULL DEFAULT 'RUNNING',
    `fromColour` ENUM('BLUE', 'GREEN') NULL,
    `toColour` ENUM('BLUE', 'GREEN') NOT NULL,
    `liveColour` ENUM('BLUE', 'GREEN') NULL,
    `triggeredById` VARCHAR(191) NOT NULL,
    `idempotencyKey` VARCHAR(191) NOT NULL,
    `source` VARCHAR(191) NOT NULL DEFAULT 'ui',
    `rollbackRequestedAt` DATETIME(3) NULL,
    `rollbackRequestedById` VARCHAR(191) NULL,
    `rollbackReason` TEXT NOT NULL DEFAULT '',
    `outcome` TEXT NOT NULL DEFAULT '',
    `leaseOwner` VARCHAR(191) NULL,
    `leaseExpiresAt` DATETIME(3) NULL,
    `recoveredAt` DATETIME(3) NULL,
    `startedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `liveAt` DATETIME(3) NULL,
    `finishedAt` DATETIME(3) NULL,

    UNIQUE INDEX `Deployment_number_key`(`number`),
    INDEX `Deployment_serviceId_startedAt_idx`(`serviceId`, `startedAt`),
    INDEX `Deployment_status_leaseExpiresAt_idx`(`status`, `leaseExpiresAt`),
    INDEX `Deployment_changeId_startedAt_idx`(`changeId`, `startedAt`),
    INDEX `Deployment_startedAt_idx`(`startedAt`),
    UNIQUE INDEX `Deployment_changeId_idempotencyKey_key`(`changeId`, `idempotencyKey`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `DeploymentStep` (
    `id` VARCHAR(191) NOT NULL,
    `deploymentId` VARCHAR(191) NOT NULL,
    `position` INTEGER NOT NULL,
    `kind` ENUM('PREFLIGHT', 'DEPLOY', 'HEALTH_CHECK', 'SWITCH', 'VALIDATE', 'DONE', 'ROLLBACK') NOT NULL,
    `status` ENUM('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED') NOT NULL DEFAULT 'PENDING',
    `startedAt` DATETIME(3) NULL,
    `finishedAt` DATETIME(3) NULL,
    `summary` TEXT NOT NULL DEFAULT '',
    `detail` TEXT NOT NULL DEFAULT '{}',

    UNIQUE INDEX `DeploymentStep_deploymentId_position_key`(`deploymentId`, `position`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `DeploymentLog` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `deploymentId` VARCHAR(191) NOT NULL,
    `at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `step` ENUM('PREFLIGHT', 'DEPLOY', 'HEALTH_CHECK', 'SWITCH', 'VALIDATE', 'DONE', 'ROLLBACK') NULL,
    `level` VARCHAR(191) NOT NULL DEFAULT 'info',
    `message` TEXT NOT NULL DEFAULT '',

    INDEX `DeploymentLog_deploymentId_id_idx`(`deploymentId`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `DeploymentTarget` ADD CONSTRAINT `DeploymentTarget_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Deployment` ADD CONSTRAINT `Deployment_changeId_fkey` FOREIGN KEY (`changeId`) REFERENCES `ChangeRequest`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Deployment` ADD CONSTRAINT `Deployment_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Deployment` ADD CONSTRAINT `Deployment_triggeredById_fkey` FOREIGN KEY (`triggeredById`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `DeploymentStep` ADD CONSTRAINT `DeploymentStep_deploymentId_fkey` FOREIGN KEY (`deploymentId`) REFERENCES `Deployment`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `DeploymentLog` ADD CONSTRAINT `DeploymentLog_deploymentId_fkey` FOREIGN KEY (`deploymentId`) REFERENCES `Deployment`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
