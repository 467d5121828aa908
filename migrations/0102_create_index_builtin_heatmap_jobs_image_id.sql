CREATE INDEX builtin_heatmap_jobs_image_id_idx ON builtin_heatmap_jobs (image_id, created_at DESC);
