CREATE TABLE run_heatmaps (
    run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    data bytea NOT NULL CHECK (length(data) = 4 * width * height),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source text NOT NULL CHECK (source IN ('upload', 'builtin')),
    file_name text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, label)
);
