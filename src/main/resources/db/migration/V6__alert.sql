-- Alerts (route alerts): a condition that holds (a site down too long, changes waiting too long
-- for a target, dead letters waiting) has one row here while it holds. Shared by every runner on
-- the database, so a condition several runners see is announced once: the runner whose insert
-- (or whose update of a resolved row) succeeds posts the message.
CREATE TABLE alert (
  alert_key    VARCHAR(100)  NOT NULL PRIMARY KEY,
  raised_at    TIMESTAMP(3)  NOT NULL,
  resolved_at  TIMESTAMP(3)  NULL,
  message      VARCHAR(1000) NOT NULL
);
