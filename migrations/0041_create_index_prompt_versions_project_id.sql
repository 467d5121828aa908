CREATE INDEX prompt_versions_project_id_idx ON prompt_versions (project_id, prompt_id, version);
