ALTER TABLE `quarantine` ADD `job_id` integer;--> statement-breakpoint
ALTER TABLE `quarantine` ADD `order_id` text;