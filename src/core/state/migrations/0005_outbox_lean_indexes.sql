DROP INDEX `outbox_next`;--> statement-breakpoint
DROP INDEX `outbox_claim`;