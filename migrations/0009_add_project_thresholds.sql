ALTER TABLE projects
    ADD COLUMN min_energy real NOT NULL DEFAULT 0.5 CHECK (min_energy BETWEEN 0 AND 1),
    ADD COLUMN min_coverage real NOT NULL DEFAULT 0.7 CHECK (min_coverage BETWEEN 0 AND 1),
    ADD COLUMN max_energy real NOT NULL DEFAULT 0.1 CHECK (max_energy BETWEEN 0 AND 1),
    ADD COLUMN hot_threshold real NOT NULL DEFAULT 0.5 CHECK (hot_threshold > 0 AND hot_threshold < 1);
