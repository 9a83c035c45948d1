-- B2BTrade message center, SQLite (single node): a database file of its own (inbox.db) so that fanning notices out to
-- many members never holds the main file's one writer while chat messages and orders are written. Idempotent.
PRAGMA journal_mode = WAL;

-- Message center: one row per notification per user, written by the outbox projection.
CREATE TABLE IF NOT EXISTS inbox_items (
  notification_id TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  kind            INTEGER NOT NULL,
  subject_id      TEXT NOT NULL,
  title_zh        TEXT NOT NULL,
  title_en        TEXT NOT NULL,
  body_zh         TEXT NOT NULL,
  body_en         TEXT NOT NULL,
  event_count     INTEGER NOT NULL,
  created_micros  INTEGER NOT NULL,
  read            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_inbox_user ON inbox_items (user_id, created_micros, notification_id);
CREATE INDEX IF NOT EXISTS ix_inbox_unread ON inbox_items (user_id, read, subject_id);

-- Outbox events already posted here. The projection commits in this file and deletes the outbox row in the main file
-- afterwards; a crash in between replays the event, and this table makes the replay change nothing.
CREATE TABLE IF NOT EXISTS inbox_applied_events (
  event_id        TEXT PRIMARY KEY,
  applied_micros  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_inbox_applied_at ON inbox_applied_events (applied_micros);
