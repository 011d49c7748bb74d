CREATE TABLE `install_nonces` (
	`nonce` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`shop` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `install_nonces_expiry` ON `install_nonces` (`expires_at`);