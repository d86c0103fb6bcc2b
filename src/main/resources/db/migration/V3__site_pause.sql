-- Sites paused at run time through the admin API (POST /api/sites/{id}/pause), shared by every
-- runner on the database. A site paused in sites.yaml is paused whatever this table says.
CREATE TABLE site_pause (
  site_id    VARCHAR(32)  NOT NULL PRIMARY KEY,
  paused_at  TIMESTAMP(3) NOT NULL
);
