CREATE INDEX api_tokens_project_user_idx ON api_tokens (project_id, user_id);
