-- B2BTrade schema, SQLite (single node). Applied at start; every statement is idempotent.
PRAGMA journal_mode = WAL;

-- Grain state (the project's IGrainStorage). etag is a counter; data is the Orleans binary serialization.
CREATE TABLE IF NOT EXISTS grain_state (
  state_name TEXT NOT NULL,
  grain_id   TEXT NOT NULL,
  etag       TEXT NOT NULL,
  data       BLOB NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (state_name, grain_id)
);

-- Stock a listing holds for each order awaiting an answer, written in the listing's state transaction. Kept beside
-- the state rather than in it, so a reservation writes one row however many orders the listing is holding.
CREATE TABLE IF NOT EXISTS listing_holds (
  listing_id TEXT NOT NULL,
  order_id   TEXT NOT NULL,
  tonnes     TEXT NOT NULL,
  held_at    TEXT NOT NULL,
  PRIMARY KEY (listing_id, order_id)
);

-- Read-model events written in the same transaction as the grain state; deleted once projected.
CREATE TABLE IF NOT EXISTS outbox (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id       TEXT NOT NULL UNIQUE,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT NOT NULL,
  kind           TEXT NOT NULL,
  version        INTEGER NOT NULL,
  payload        TEXT NOT NULL,
  occurred_at    TEXT NOT NULL
);

-- Per-aggregate hash-chained audit trail; append-only.
CREATE TABLE IF NOT EXISTS audit_log (
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  before_json    TEXT NOT NULL,
  after_json     TEXT NOT NULL,
  occurred_at    TEXT NOT NULL,
  previous_hash  TEXT NOT NULL,
  hash           TEXT NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

-- Durable reminders (the project's IReminderTable).
CREATE TABLE IF NOT EXISTS reminders (
  grain_id      TEXT NOT NULL,
  reminder_name TEXT NOT NULL,
  grain_hash    INTEGER NOT NULL,
  start_at      TEXT NOT NULL,
  period_ms     INTEGER NOT NULL,
  etag          TEXT NOT NULL,
  PRIMARY KEY (grain_id, reminder_name)
);
CREATE INDEX IF NOT EXISTS ix_reminders_hash ON reminders (grain_hash);

-- Messages the default sender "sent" (SMS / email outbox read by operators and tests).
CREATE TABLE IF NOT EXISTS sent_messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  channel    TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_sent_messages_recipient ON sent_messages (recipient, id);

-- Read model.
CREATE TABLE IF NOT EXISTS rm_users (
  user_id      TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  kind         INTEGER NOT NULL,
  is_operator  INTEGER NOT NULL,
  masked_phone TEXT,
  masked_email TEXT,
  created_at   TEXT NOT NULL,
  version      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS rm_enterprises (
  enterprise_id TEXT PRIMARY KEY,
  legal_name    TEXT NOT NULL,
  credit_code   TEXT NOT NULL,
  status        INTEGER NOT NULL,
  rejection_reason TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  submitted_at  TEXT,
  version       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rm_enterprises_status ON rm_enterprises (status, submitted_at, enterprise_id);

CREATE TABLE IF NOT EXISTS rm_enterprise_members (
  enterprise_id TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  roles         TEXT NOT NULL,
  PRIMARY KEY (enterprise_id, user_id)
);
CREATE INDEX IF NOT EXISTS ix_rm_members_user ON rm_enterprise_members (user_id, enterprise_id);

CREATE TABLE IF NOT EXISTS rm_invitations (
  enterprise_id  TEXT NOT NULL,
  invitation_id  TEXT NOT NULL,
  invitee_key    TEXT NOT NULL,
  masked_invitee TEXT NOT NULL,
  status         INTEGER NOT NULL,
  roles          TEXT NOT NULL,
  signing_limit  TEXT,
  created_at     TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  PRIMARY KEY (enterprise_id, invitation_id)
);
CREATE INDEX IF NOT EXISTS ix_rm_invitations_invitee ON rm_invitations (invitee_key, status);

-- Catalog listings (source of truth for search indexes and seller lists).
CREATE TABLE IF NOT EXISTS rm_listings (
  listing_id           TEXT PRIMARY KEY,
  seller_enterprise_id TEXT NOT NULL,
  category_id          TEXT NOT NULL,
  name                 TEXT NOT NULL,
  status               INTEGER NOT NULL,
  price_min            TEXT NOT NULL,
  price_max            TEXT NOT NULL,
  stock_tonnes         TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  version              INTEGER NOT NULL,
  document             TEXT NOT NULL,
  -- Database clock (microseconds since 1970) when the row was last written: API nodes tail this to keep
  -- their search index current, so a late projection is never skipped the way a domain timestamp could be.
  projected_at         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_rm_listings_seller ON rm_listings (seller_enterprise_id, listing_id);
CREATE INDEX IF NOT EXISTS ix_rm_listings_projected ON rm_listings (projected_at);

-- Negotiation chat: append-only, one row per message, written in the thread grain's state transaction.
CREATE TABLE IF NOT EXISTS thread_messages (
  thread_id         TEXT NOT NULL,
  sequence          INTEGER NOT NULL,
  sender_user_id    TEXT NOT NULL,
  sender_name       TEXT NOT NULL,
  sender_side       INTEGER NOT NULL,
  body              TEXT NOT NULL,
  attachment        TEXT,
  sent_at           TEXT NOT NULL,
  client_message_id TEXT NOT NULL,
  PRIMARY KEY (thread_id, sequence)
);
-- A retried send (same client id) must not store a second message.
CREATE UNIQUE INDEX IF NOT EXISTS ux_thread_messages_client ON thread_messages (thread_id, sender_user_id, client_message_id);

-- Negotiation threads for "my inquiries" / "inquiry management" lists. Times are microseconds since 1970 (UTC).
CREATE TABLE IF NOT EXISTS rm_threads (
  thread_id            TEXT PRIMARY KEY,
  rfq_id               TEXT,
  buyer_enterprise_id  TEXT NOT NULL,
  buyer_name           TEXT NOT NULL,
  seller_enterprise_id TEXT NOT NULL,
  seller_name          TEXT NOT NULL,
  product_name         TEXT NOT NULL,
  status               INTEGER NOT NULL,
  quantity_tonnes      TEXT NOT NULL,
  unit_price           TEXT,
  total_amount         TEXT,
  latest_version       INTEGER NOT NULL,
  valid_until_micros   INTEGER,
  updated_micros       INTEGER NOT NULL,
  version              INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rm_threads_buyer ON rm_threads (buyer_enterprise_id, updated_micros, thread_id);
CREATE INDEX IF NOT EXISTS ix_rm_threads_seller ON rm_threads (seller_enterprise_id, updated_micros, thread_id);
CREATE INDEX IF NOT EXISTS ix_rm_threads_rfq ON rm_threads (rfq_id);

-- The message center (inbox_items) lives in a file of its own, inbox.db: see sqlite-inbox.sql.

-- Orders (read model of the order grains) for ListOrders, newest first per buyer or seller. Status 0: a placement
-- that failed (never shown).
CREATE TABLE IF NOT EXISTS rm_orders (
  order_id             TEXT PRIMARY KEY,
  buyer_enterprise_id  TEXT NOT NULL,
  buyer_name           TEXT NOT NULL,
  seller_enterprise_id TEXT NOT NULL,
  seller_name          TEXT NOT NULL,
  status               INTEGER NOT NULL,
  product_summary      TEXT NOT NULL,
  quantity_tonnes      TEXT NOT NULL,
  total_amount         TEXT NOT NULL,
  placed_by_name       TEXT NOT NULL,
  created_micros       INTEGER NOT NULL,
  updated_micros       INTEGER NOT NULL,
  version              INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rm_orders_buyer ON rm_orders (buyer_enterprise_id, created_micros, order_id);
CREATE INDEX IF NOT EXISTS ix_rm_orders_seller ON rm_orders (seller_enterprise_id, created_micros, order_id);

-- Contracts (read model of the contract grains) for ListContracts.
CREATE TABLE IF NOT EXISTS rm_contracts (
  contract_id          TEXT PRIMARY KEY,
  contract_number      TEXT NOT NULL,
  order_id             TEXT NOT NULL,
  status               INTEGER NOT NULL,
  buyer_enterprise_id  TEXT NOT NULL,
  buyer_name           TEXT NOT NULL,
  seller_enterprise_id TEXT NOT NULL,
  seller_name          TEXT NOT NULL,
  total_amount         TEXT NOT NULL,
  created_micros       INTEGER NOT NULL,
  version              INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_rm_contracts_buyer ON rm_contracts (buyer_enterprise_id, created_micros, contract_id);
CREATE INDEX IF NOT EXISTS ix_rm_contracts_seller ON rm_contracts (seller_enterprise_id, created_micros, contract_id);
