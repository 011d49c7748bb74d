DROP INDEX `orders_customer_id`;--> statement-breakpoint
DROP INDEX `orders_customer_email`;--> statement-breakpoint
DROP INDEX `orders_customer_phone`;--> statement-breakpoint
-- Written by hand: drizzle-kit split the expression at its commas.
CREATE INDEX `orders_customer_contact` ON `orders` (`shop_id`, coalesce(customer_id, customer_email, customer_phone)) WHERE coalesce(customer_id, customer_email, customer_phone) IS NOT NULL;
