CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at);
