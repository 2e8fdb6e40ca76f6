-- AlterTable
ALTER TABLE `Service` ADD COLUMN `promNodeSelector` TEXT NOT NULL DEFAULT '',
    ADD COLUMN `promAppSelector` TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE `HealthCheck` (
    `id` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `kind` ENUM('HTTP', 'TCP') NOT NULL,
    `url` TEXT NOT NULL DEFAULT '',
    `method` VARCHAR(191) NOT NULL DEFAULT 'GET',
    `expectedStatusMin` INTEGER NOT NULL DEFAULT 200,
    `expectedStatusMax` INTEGER NOT NULL DEFAULT 399,
    `keyword` VARCHAR(191) NOT NULL DEFAULT '',
    `tlsExpiryWarnDays` INTEGER NOT NULL DEFAULT 14,
    `ignoreTlsErrors` BOOLEAN NOT NULL DEFAULT false,
    `host` VARCHAR(191) NOT NULL DEFAULT '',
    `port` INTEGER NOT NULL DEFAULT 0,
    `intervalSeconds` INTEGER NOT NULL DEFAULT 60,
    `timeoutMs` INTEGER NOT NULL DEFAULT 5000,
    `retries` INTEGER NOT NULL DEFAULT 1,
    `paused` BOOLEAN NOT NULL DEFAULT false,
    `createdById` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,
    `revision` INTEGER NOT NULL DEFAULT 0,

    INDEX `HealthCheck_updatedAt_idx`(`updatedAt`),
    UNIQUE INDEX `HealthCheck_serviceId_name_key`(`serviceId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `HealthCheckState` (
    `checkId` VARCHAR(191) NOT NULL,
    `status` ENUM('PENDING', 'UP', 'DOWN') NOT NULL DEFAULT 'PENDING',
    `consecutiveFailures` INTEGER NOT NULL DEFAULT 0,
    `statusSince` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastCheckedAt` DATETIME(3) NULL,
    `lastOk` BOOLEAN NULL,
    `lastLatencyMs` DOUBLE NULL,
    `lastStatusCode` INTEGER NULL,
    `lastError` TEXT NOT NULL DEFAULT '',
    `certExpiresAt` DATETIME(3) NULL,
    `uptime24h` DOUBLE NULL,
    `uptime7d` DOUBLE NULL,
    `uptime30d` DOUBLE NULL,
    `p95LatencyMs24h` DOUBLE NULL,
    `summarizedAt` DATETIME(3) NULL,

    PRIMARY KEY (`checkId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `HealthSample` (
    `checkId` VARCHAR(191) NOT NULL,
    `at` DATETIME(3) NOT NULL,
    `ok` BOOLEAN NOT NULL,
    `latencyMs` DOUBLE NOT NULL,
    `statusCode` INTEGER NULL,
    `error` TEXT NOT NULL DEFAULT '',

    INDEX `HealthSample_at_idx`(`at`),
    PRIMARY KEY (`checkId`, `at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `HealthRollup` (
    `checkId` VARCHAR(191) NOT NULL,
    `resolution` ENUM('MINUTE', 'HOUR') NOT NULL,
    `bucketStart` DATETIME(3) NOT NULL,
    `count` INTEGER NOT NULL,
    `failures` INTEGER NOT NULL,
    `latencySum` DOUBLE NOT NULL,
    `p50Ms` DOUBLE NOT NULL,
    `p95Ms` DOUBLE NOT NULL,
    `maxMs` DOUBLE NOT NULL,

    INDEX `HealthRollup_resolution_bucketStart_idx`(`resolution`, `bucketStart`),
    PRIMARY KEY (`checkId`, `resolution`, `bucketStart`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `HealthEvent` (
    `id` VARCHAR(191) NOT NULL,
    `checkId` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `fromStatus` ENUM('PENDING', 'UP', 'DOWN') NOT NULL,
    `toStatus` ENUM('PENDING', 'UP', 'DOWN') NOT NULL,
    `at` DATETIME(3) NOT NULL,
    `reason` TEXT NOT NULL DEFAULT '',
    `muted` BOOLEAN NOT NULL DEFAULT false,
    `maintenanceId` VARCHAR(191) NULL,

    INDEX `HealthEvent_serviceId_at_idx`(`serviceId`, `at`),
    INDEX `HealthEvent_checkId_at_idx`(`checkId`, `at`),
    INDEX `HealthEvent_at_idx`(`at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `MaintenanceWindow` (
    `id` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `startsAt` DATETIME(3) NOT NULL,
    `endsAt` DATETIME(3) NOT NULL,
    `reason` TEXT NOT NULL,
    `createdById` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `cancelledAt` DATETIME(3) NULL,

    INDEX `MaintenanceWindow_serviceId_endsAt_idx`(`serviceId`, `endsAt`),
    INDEX `MaintenanceWindow_endsAt_idx`(`endsAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `MetricPanel` (
    `id` VARCHAR(191) NOT NULL,
    `serviceId` VARCHAR(191) NOT NULL,
    `title` VARCHAR(191) NOT NULL,
    `query` TEXT NOT NULL,
    `unit` VARCHAR(191) NOT NULL DEFAULT '',
    `position` INTEGER NOT NULL DEFAULT 0,
    `createdById` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `MetricPanel_serviceId_position_idx`(`serviceId`, `position`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `MetricSeries` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `labels` TEXT NOT NULL DEFAULT '{}',
    `labelsHash` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastAt` DATETIME(3) NULL,

    UNIQUE INDEX `MetricSeries_name_labelsHash_key`(`name`, `labelsHash`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `MetricPoint` (
    `seriesId` INTEGER NOT NULL,
    `at` DATETIME(3) NOT NULL,
    `value` DOUBLE NOT NULL,

    PRIMARY KEY (`seriesId`, `at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `WorkerLease` (
    `name` VARCHAR(191) NOT NULL,
    `holder` VARCHAR(191) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `HealthCheck` ADD CONSTRAINT `HealthCheck_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `HealthCheckState` ADD CONSTRAINT `HealthCheckState_checkId_fkey` FOREIGN KEY (`checkId`) REFERENCES `HealthCheck`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `HealthSample` ADD CONSTRAINT `HealthSample_checkId_fkey` FOREIGN KEY (`checkId`) REFERENCES `HealthCheck`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `HealthRollup` ADD CONSTRAINT `HealthRollup_checkId_fkey` FOREIGN KEY (`checkId`) REFERENCES `HealthCheck`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `HealthEvent` ADD CONSTRAINT `HealthEvent_checkId_fkey` FOREIGN KEY (`checkId`) REFERENCES `HealthCheck`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `MaintenanceWindow` ADD CONSTRAINT `MaintenanceWindow_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `MetricPanel` ADD CONSTRAINT `MetricPanel_serviceId_fkey` FOREIGN KEY (`serviceId`) REFERENCES `Service`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `MetricPoint` ADD CONSTRAINT `MetricPoint_seriesId_fkey` FOREIGN KEY (`seriesId`) REFERENCES `MetricSeries`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
