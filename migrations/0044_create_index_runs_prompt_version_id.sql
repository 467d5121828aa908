CREATE INDEX runs_prompt_version_id_idx ON runs (prompt_version_id, image_id, created_at);
