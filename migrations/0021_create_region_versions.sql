CREATE TABLE region_versions (
    id uuid PRIMARY KEY,
    image_id uuid NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0),
    regions jsonb NOT NULL,
    summary text NOT NULL DEFAULT '',
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (image_id, version)
);
