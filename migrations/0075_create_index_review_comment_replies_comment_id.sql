CREATE INDEX review_comment_replies_comment_id_idx ON review_comment_replies (comment_id, created_at);
