-- Change events pushed by sites (POST /hooks/{siteId}), kept until a runner has looked at the user
-- they name: the push is answered 2xx only once its row is here.
CREATE TABLE push_event (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  received_at     TIMESTAMP(3) NOT NULL,
  site_id         VARCHAR(32)  NOT NULL,
  wp_user_id      BIGINT       NOT NULL,
  topic           VARCHAR(64)  NOT NULL,
  delivery_id     VARCHAR(64)  NULL,
  status          VARCHAR(16)  NOT NULL,
  attempts        INT          NOT NULL,
  next_attempt_at TIMESTAMP(3) NOT NULL,
  claimed_by      VARCHAR(64)  NULL,
  claimed_until   TIMESTAMP(3) NULL,
  last_error      VARCHAR(1000) NULL,
  updated_at      TIMESTAMP(3) NOT NULL
);
CREATE INDEX ix_push_event_due ON push_event (status, next_attempt_at);
