-- Where each site's polling stands (Poller): the position in the companion plugin's changes feed
-- up to which every change has been detected (NULL: the site has no feed, or none read yet), and
-- when its users were last listed in full. Shared by every runner on the database, as polls are.
CREATE TABLE poll_cursor (
  site_id       VARCHAR(32)  NOT NULL PRIMARY KEY,
  feed_cursor   VARCHAR(64)  NULL,
  full_scan_at  TIMESTAMP(3) NULL
);
