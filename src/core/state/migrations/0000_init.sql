CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`destination_id` text NOT NULL,
	`order_key` text NOT NULL,
	`events` text NOT NULL,
	`order` text,
	`customer` text,
	`source_updated_at` integer NOT NULL,
	`origin` text NOT NULL,
	`attempts` integer NOT NULL,
	`error` text NOT NULL,
	`created_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_destination` ON `dead_letters` (`destination_id`,`replayed_at`);--> statement-breakpoint
CREATE TABLE `destinations` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`kind` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`secret_sealed` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `destinations_shop` ON `destinations` (`shop_id`);--> statement-breakpoint
CREATE TABLE `local_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_key` text NOT NULL,
	`type` text NOT NULL,
	`payload` text,
	`delivered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `local_events_order` ON `local_events` (`order_key`);--> statement-breakpoint
CREATE TABLE `local_orders` (
	`key` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`canonical` text NOT NULL,
	`source_updated_at` integer NOT NULL,
	`deliveries` integer DEFAULT 1 NOT NULL,
	`delivered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `local_orders_shop_updated` ON `local_orders` (`shop_id`,`source_updated_at`);--> statement-breakpoint
CREATE TABLE `orders` (
	`key` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`source_updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`canonical` text NOT NULL,
	`customer_id` text,
	`customer_email` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_shop_updated` ON `orders` (`shop_id`,`source_updated_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`destination_id` text NOT NULL,
	`order_key` text NOT NULL,
	`events` text NOT NULL,
	`order` text,
	`customer` text,
	`source_updated_at` integer NOT NULL,
	`origin` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`destination_id`,`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_order` ON `outbox` (`destination_id`,`order_key`,`id`);--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`shop_id` text NOT NULL,
	`topic` text NOT NULL,
	`delivery_id` text,
	`body` text NOT NULL,
	`error` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `receipts` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`topic` text NOT NULL,
	`event_id` text,
	`order_key` text,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `receipts_event` ON `receipts` (`shop_id`,`event_id`,`topic`);--> statement-breakpoint
CREATE INDEX `receipts_order` ON `receipts` (`order_key`);--> statement-breakpoint
CREATE TABLE `resync_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop_id` text NOT NULL,
	`range_from` integer NOT NULL,
	`range_to` integer NOT NULL,
	`cursor` text,
	`state` text NOT NULL,
	`seen` integer DEFAULT 0 NOT NULL,
	`enqueued` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shops` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`domain` text NOT NULL,
	`credentials_sealed` text,
	`webhook_secret_sealed` text,
	`installed_at` integer NOT NULL,
	`uninstalled_at` integer
);
