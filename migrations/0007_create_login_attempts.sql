CREATE TABLE login_attempts (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    remote_address text NOT NULL DEFAULT '',
    succeeded boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
