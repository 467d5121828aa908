CREATE INDEX sign_offs_project_id_idx ON sign_offs (project_id, created_at DESC);
