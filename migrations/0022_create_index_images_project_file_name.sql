CREATE INDEX images_project_file_name_idx ON images (project_id, file_name);
