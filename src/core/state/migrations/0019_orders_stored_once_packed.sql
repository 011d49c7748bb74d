-- Each canonical version is stored once (src/core/state/packedOrder.ts): `orders` keeps it, and the local store
-- reads it there instead of holding a second copy. Plain SQL, so a Durable Object (no SQL functions) applies it
-- too: the JSON is carried over as plain bytes (packedOrder's plain format), which the Node runtime packs after
-- migrating (src/node/database.ts). Edited by hand: drizzle-kit copied columns the old table does not have, and
-- split the contact index's expression at its commas (as in 0011).
CREATE TABLE `__new_orders` (
	`key` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`source_updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`canonical` blob NOT NULL,
	`status` text NOT NULL,
	`source_created_at` integer NOT NULL,
	`customer_id` text,
	`customer_email` text,
	`customer_phone` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_orders`("key", "shop_id", "source_updated_at", "version", "canonical", "status", "source_created_at", "customer_id", "customer_email", "customer_phone", "received_at")
SELECT "key", "shop_id", "source_updated_at", "version", CAST("canonical" AS BLOB), json_extract("canonical", '$.status'),
  CAST(round(unixepoch(json_extract("canonical", '$.createdAt'), 'subsec') * 1000) AS INTEGER),
  "customer_id", "customer_email", "customer_phone", "received_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE INDEX `orders_customer_contact` ON `orders` (`shop_id`, coalesce(customer_id, customer_email, customer_phone)) WHERE coalesce(customer_id, customer_email, customer_phone) IS NOT NULL;--> statement-breakpoint
-- Rebuilt rather than altered (a dropped column leaves each row's page in use): the local store keeps its own copy
-- only of an order `orders` no longer holds.
CREATE TABLE `__new_local_orders` (
	`key` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`copy` blob,
	`source_updated_at` integer NOT NULL,
	`deliveries` integer DEFAULT 1 NOT NULL,
	`delivered_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_local_orders`("key", "shop_id", "copy", "source_updated_at", "deliveries", "delivered_at")
SELECT l."key", l."shop_id", CASE WHEN o."key" IS NULL THEN CAST(l."canonical" AS BLOB) END, l."source_updated_at", l."deliveries", l."delivered_at"
FROM `local_orders` l LEFT JOIN `orders` o ON o."key" = l."key";--> statement-breakpoint
DROP TABLE `local_orders`;--> statement-breakpoint
ALTER TABLE `__new_local_orders` RENAME TO `local_orders`;--> statement-breakpoint
CREATE INDEX `local_orders_shop_updated` ON `local_orders` (`shop_id`,`source_updated_at`);
