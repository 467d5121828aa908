CREATE TABLE demo_seeds (
    name text PRIMARY KEY,
    project_id uuid REFERENCES projects (id) ON DELETE SET NULL,
    seeded_at timestamptz NOT NULL DEFAULT now()
);
