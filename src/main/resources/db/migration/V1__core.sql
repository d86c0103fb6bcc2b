-- usermesh core tables. Written in the subset of SQL that MariaDB 10.11 and
-- H2 (MODE=MariaDB) both accept, so one migration serves both databases.

-- The audit trail: one row per event per target.
CREATE TABLE sync_log (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  logged_at    TIMESTAMP(3)  NOT NULL,
  event_id     VARCHAR(64)   NOT NULL,
  source_site  VARCHAR(32)   NOT NULL,
  target_site  VARCHAR(32)   NULL,
  user_key     VARCHAR(255)  NOT NULL,
  action       VARCHAR(16)   NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  http_status  INT           NULL,
  message      VARCHAR(1000) NULL,
  duration_ms  BIGINT        NULL,
  origin       VARCHAR(16)   NOT NULL
);
-- The log view filters by time window plus site, status or user; the purge deletes by time.
CREATE INDEX ix_sync_log_time ON sync_log (logged_at);
CREATE INDEX ix_sync_log_source ON sync_log (source_site, logged_at);
CREATE INDEX ix_sync_log_target ON sync_log (target_site, logged_at);
CREATE INDEX ix_sync_log_status ON sync_log (status, logged_at);
CREATE INDEX ix_sync_log_user ON sync_log (user_key, logged_at);
CREATE INDEX ix_sync_log_event ON sync_log (event_id);

-- Which WordPress user id on each site is the same person.
CREATE TABLE user_link (
  site_id      VARCHAR(32)   NOT NULL,
  wp_user_id   BIGINT        NOT NULL,
  person_id    VARCHAR(36)   NOT NULL,
  user_key     VARCHAR(255)  NOT NULL,
  linked_at    TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (site_id, wp_user_id)
);
CREATE INDEX ix_user_link_person ON user_link (person_id, site_id);

-- Last seen state of every user per site; polling diffs against it.
CREATE TABLE user_snapshot (
  site_id      VARCHAR(32)   NOT NULL,
  wp_user_id   BIGINT        NOT NULL,
  username     VARCHAR(255)  NOT NULL,
  email        VARCHAR(255)  NOT NULL,
  fingerprint  VARCHAR(64)   NOT NULL,
  state        TEXT          NULL,
  -- when usermesh last read or wrote this user on this site
  seen_at      TIMESTAMP(3)  NOT NULL,
  -- when a poll or push last found a change made on this site itself (not written by usermesh);
  -- bidirectional conflicts compare it with the detection time of the change from the other side
  changed_at   TIMESTAMP(3)  NULL,
  PRIMARY KEY (site_id, wp_user_id)
);
CREATE INDEX ix_user_snapshot_email ON user_snapshot (site_id, email);
CREATE INDEX ix_user_snapshot_username ON user_snapshot (site_id, username);

-- camel-sql's JdbcMessageIdRepository table (its default name and columns):
-- the same change to the same target is applied once.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
  processorName VARCHAR(255) NOT NULL,
  messageId     VARCHAR(100) NOT NULL,
  createdAt     TIMESTAMP    NOT NULL,
  PRIMARY KEY (processorName, messageId)
);
CREATE INDEX ix_camel_processed_created ON CAMEL_MESSAGEPROCESSED (createdAt);

-- Changes that failed for good on a target, kept for inspection and replay.
CREATE TABLE dead_letter (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  created_at   TIMESTAMP(3)  NOT NULL,
  event_id     VARCHAR(64)   NOT NULL,
  source_site  VARCHAR(32)   NOT NULL,
  target_site  VARCHAR(32)   NOT NULL,
  user_key     VARCHAR(255)  NOT NULL,
  action       VARCHAR(16)   NOT NULL,
  payload      TEXT          NOT NULL,
  error        VARCHAR(1000) NOT NULL,
  http_status  INT           NULL,
  attempts     INT           NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  replayed_at  TIMESTAMP(3)  NULL
);
CREATE INDEX ix_dead_letter_status ON dead_letter (status, created_at);
CREATE INDEX ix_dead_letter_target ON dead_letter (target_site, created_at);

-- Per-user switches: propagation off (changes on that site are not sent on)
-- and protected (that site accepts no change for the user).
CREATE TABLE user_flag (
  site_id          VARCHAR(32)  NOT NULL,
  user_key         VARCHAR(255) NOT NULL,
  propagation_off  BOOLEAN      NOT NULL,
  protected        BOOLEAN      NOT NULL,
  updated_at       TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (site_id, user_key)
);

-- The outbox: one row per change per target, written in the same transaction
-- that advances the source's snapshot, before anything is sent. Delivery works
-- from here; a crash at any point loses nothing.
CREATE TABLE outbox (
  id               BIGINT AUTO_INCREMENT PRIMARY KEY,
  created_at       TIMESTAMP(3)  NOT NULL,
  event_id         VARCHAR(64)   NOT NULL,
  source_site      VARCHAR(32)   NOT NULL,
  source_user_id   BIGINT        NOT NULL,
  target_site      VARCHAR(32)   NOT NULL,
  user_key         VARCHAR(255)  NOT NULL,
  payload          TEXT          NOT NULL,
  status           VARCHAR(16)   NOT NULL,
  attempts         INT           NOT NULL,
  next_attempt_at  TIMESTAMP(3)  NOT NULL,
  claimed_by       VARCHAR(64)   NULL,
  claimed_until    TIMESTAMP(3)  NULL,
  last_error       VARCHAR(1000) NULL,
  updated_at       TIMESTAMP(3)  NOT NULL
);
-- the dispatcher asks: which rows of this target are due?
CREATE INDEX ix_outbox_due ON outbox (status, target_site, next_attempt_at);
-- changes of one user to one target go in order: a row waits for older pending rows of that user
CREATE INDEX ix_outbox_user ON outbox (target_site, source_site, source_user_id, status);
