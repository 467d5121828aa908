CREATE INDEX builtin_heatmap_jobs_open_idx ON builtin_heatmap_jobs (status, created_at) WHERE status IN ('pending', 'running');
