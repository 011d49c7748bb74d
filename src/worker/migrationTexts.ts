// The committed migrations' SQL, bundled as text (wrangler.toml's Text rule for *.sql) for drizzle's durable-sqlite
// migrator. A new migration needs its line here: test/workerMigrations.test.ts fails until it has one.
import { bundledMigrations, type BundledMigrations } from '../core/state/migrations.ts';
import m0000 from '../core/state/migrations/0000_init.sql';
import m0001 from '../core/state/migrations/0001_shop_settings.sql';
import m0002 from '../core/state/migrations/0002_outbox_indexes.sql';
import m0003 from '../core/state/migrations/0003_destination_rate.sql';
import m0004 from '../core/state/migrations/0004_outbox_uncertain.sql';
import m0005 from '../core/state/migrations/0005_outbox_lean_indexes.sql';
import m0006 from '../core/state/migrations/0006_orders_no_unused_index.sql';
import m0007 from '../core/state/migrations/0007_drop_unused_settings.sql';
import m0008 from '../core/state/migrations/0008_receipts_no_order_index.sql';
import m0009 from '../core/state/migrations/0009_orders_customer_lookups.sql';
import m0010 from '../core/state/migrations/0010_dead_letters_order_index.sql';
import m0011 from '../core/state/migrations/0011_orders_one_contact_index.sql';
import m0012 from '../core/state/migrations/0012_delivery_lease.sql';
import m0013 from '../core/state/migrations/0013_outbox_owed.sql';
import m0014 from '../core/state/migrations/0014_outbox_first_seen.sql';
import m0015 from '../core/state/migrations/0015_dead_letter_first_seen.sql';
import m0016 from '../core/state/migrations/0016_keep_customer_ids_of_prefixed_destinations.sql';
import m0017 from '../core/state/migrations/0017_outbox_without_state.sql';
import m0018 from '../core/state/migrations/0018_destination_from_environment.sql';
import m0019 from '../core/state/migrations/0019_orders_stored_once_packed.sql';
import m0020 from '../core/state/migrations/0020_listings_by_index.sql';
import m0021 from '../core/state/migrations/0021_jobs.sql';
import m0022 from '../core/state/migrations/0022_install_nonces.sql';
import m0023 from '../core/state/migrations/0023_delivered_minutes.sql';
import m0024 from '../core/state/migrations/0024_console_sessions.sql';

const TEXTS: Record<string, string> = {
  '0000_init': m0000,
  '0001_shop_settings': m0001,
  '0002_outbox_indexes': m0002,
  '0003_destination_rate': m0003,
  '0004_outbox_uncertain': m0004,
  '0005_outbox_lean_indexes': m0005,
  '0006_orders_no_unused_index': m0006,
  '0007_drop_unused_settings': m0007,
  '0008_receipts_no_order_index': m0008,
  '0009_orders_customer_lookups': m0009,
  '0010_dead_letters_order_index': m0010,
  '0011_orders_one_contact_index': m0011,
  '0012_delivery_lease': m0012,
  '0013_outbox_owed': m0013,
  '0014_outbox_first_seen': m0014,
  '0015_dead_letter_first_seen': m0015,
  '0016_keep_customer_ids_of_prefixed_destinations': m0016,
  '0017_outbox_without_state': m0017,
  '0018_destination_from_environment': m0018,
  '0019_orders_stored_once_packed': m0019,
  '0020_listings_by_index': m0020,
  '0021_jobs': m0021,
  '0022_install_nonces': m0022,
  '0023_delivered_minutes': m0023,
  '0024_console_sessions': m0024,
};

/** Every journal entry's SQL; a migration not imported above is named rather than skipped. */
export function workerMigrations(): BundledMigrations {
  return bundledMigrations((tag) => {
    const text = TEXTS[tag];
    if (text === undefined) throw new Error(`migration ${tag} is not bundled: import it in src/worker/migrationTexts.ts`);
    return text;
  });
}

/** The tags bundled, for the test that holds this list to the journal. */
export const BUNDLED_TAGS: readonly string[] = Object.keys(TEXTS);
