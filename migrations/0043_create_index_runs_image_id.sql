CREATE INDEX runs_image_id_idx ON runs (image_id, created_at);
