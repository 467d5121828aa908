CREATE INDEX audit_log_project_id_idx ON audit_log (project_id, created_at DESC, id DESC);
