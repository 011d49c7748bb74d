DROP INDEX `outbox_due`;--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`destination_id`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `outbox` DROP COLUMN `state`;