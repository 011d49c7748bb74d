CREATE INDEX `dead_letters_replayed` ON `dead_letters` (`replayed_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_of_destination` ON `dead_letters` (`destination_id`);--> statement-breakpoint
CREATE INDEX `local_orders_updated` ON `local_orders` (`source_updated_at`);--> statement-breakpoint
CREATE INDEX `outbox_destination` ON `outbox` (`destination_id`);