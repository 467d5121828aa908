CREATE TABLE images (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_name text NOT NULL DEFAULT '',
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format text NOT NULL CHECK (format IN ('jpeg', 'png')),
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    original bytea NOT NULL,
    display_jpeg bytea NOT NULL,
    display_width integer NOT NULL CHECK (display_width > 0 AND display_width <= 2048),
    display_height integer NOT NULL CHECK (display_height > 0 AND display_height <= 2048),
    thumbnail_jpeg bytea NOT NULL,
    uploaded_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, sha256)
);
