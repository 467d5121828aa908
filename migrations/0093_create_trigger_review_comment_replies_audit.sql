CREATE TRIGGER review_comment_replies_audit AFTER INSERT ON review_comment_replies
    FOR EACH ROW EXECUTE FUNCTION record_audit_entry();
