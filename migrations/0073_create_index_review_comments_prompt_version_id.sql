CREATE INDEX review_comments_prompt_version_id_idx ON review_comments (prompt_version_id, status, created_at);
