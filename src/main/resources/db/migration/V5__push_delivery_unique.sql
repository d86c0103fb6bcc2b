-- A push's delivery id (X-WC-Webhook-Delivery-ID) is unique per site: a delivery retried or
-- replayed is stored once. Duplicates stored before this rule keep their first row.
DELETE FROM push_event WHERE delivery_id IS NOT NULL AND id NOT IN (
  SELECT keep FROM (
    SELECT MIN(id) AS keep FROM push_event WHERE delivery_id IS NOT NULL GROUP BY site_id, delivery_id
  ) AS first_rows
);
CREATE UNIQUE INDEX ux_push_event_delivery ON push_event (site_id, delivery_id);
