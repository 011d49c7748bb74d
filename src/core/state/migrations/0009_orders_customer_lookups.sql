ALTER TABLE `orders` ADD `customer_phone` text;--> statement-breakpoint
CREATE INDEX `orders_customer_id` ON `orders` (`shop_id`,`customer_id`) WHERE "orders"."customer_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_customer_email` ON `orders` (`shop_id`,`customer_email`) WHERE "orders"."customer_email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_customer_phone` ON `orders` (`shop_id`,`customer_phone`) WHERE "orders"."customer_phone" IS NOT NULL;--> statement-breakpoint
-- Orders stored before this migration: the phone's digits, stripped of the usual separators.
UPDATE `orders` SET `customer_phone` = (
  SELECT CASE WHEN length(d) >= 6 THEN d END FROM (
    SELECT replace(replace(replace(replace(replace(replace(
      coalesce(json_extract(`canonical`, '$.customer.phone'), json_extract(`canonical`, '$.billingAddress.phone')),
      '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '') AS d
  )
);
