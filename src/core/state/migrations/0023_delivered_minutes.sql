CREATE TABLE `delivered_minutes` (
	`destination_id` text NOT NULL,
	`minute` integer NOT NULL,
	`delivered` integer NOT NULL,
	PRIMARY KEY(`destination_id`, `minute`)
);
