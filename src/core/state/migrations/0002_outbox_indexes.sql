CREATE INDEX `outbox_next` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_claim` ON `outbox` (`destination_id`,`state`,`id`);