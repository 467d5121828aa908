CREATE FUNCTION record_audit_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
    data jsonb;
    setting text := current_setting('sightline.actor', true);
    uuid_pattern constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
    actor uuid;
    actor_display text := '';
    project uuid;
    entry_kind text;
    entry_summary text;
    extra jsonb := '{}'::jsonb;
    image_name text;
    prompt_label text;
BEGIN
    IF TG_OP = 'DELETE' THEN data := old_row; ELSE data := new_row; END IF;
    IF setting IS NOT NULL AND setting ~ uuid_pattern THEN
        actor := setting::uuid;
    END IF;
    IF actor IS NULL THEN
        IF TG_OP = 'INSERT' THEN
            actor := coalesce(data->>'created_by', data->>'uploaded_by', data->>'reviewer_id',
                CASE WHEN TG_TABLE_NAME = 'api_tokens' THEN data->>'user_id' END)::uuid;
        ELSIF TG_TABLE_NAME = 'review_comments' THEN
            actor := (data->>'status_changed_by')::uuid;
        ELSIF TG_TABLE_NAME = 'api_tokens' THEN
            actor := (data->>'user_id')::uuid;
        END IF;
    END IF;
    project := (data->>'project_id')::uuid;

    CASE TG_TABLE_NAME
    WHEN 'projects' THEN
        project := (data->>'id')::uuid;
        IF TG_OP = 'INSERT' THEN
            entry_kind := 'project.created';
            entry_summary := format('Project "%s" created', data->>'name');
        ELSIF TG_OP = 'DELETE' THEN
            entry_kind := 'project.deleted';
            entry_summary := format('Project "%s" deleted', data->>'name');
        ELSIF (old_row->'min_energy', old_row->'min_coverage', old_row->'max_energy', old_row->'hot_threshold')
              IS DISTINCT FROM (new_row->'min_energy', new_row->'min_coverage', new_row->'max_energy', new_row->'hot_threshold') THEN
            entry_kind := 'thresholds.changed';
            entry_summary := format(
                'Thresholds changed: min energy %s → %s, min coverage %s → %s, max energy %s → %s, hot %s → %s',
                old_row->>'min_energy', new_row->>'min_energy', old_row->>'min_coverage', new_row->>'min_coverage',
                old_row->>'max_energy', new_row->>'max_energy', old_row->>'hot_threshold', new_row->>'hot_threshold');
            extra := jsonb_build_object(
                'old', jsonb_build_object('min_energy', old_row->'min_energy', 'min_coverage', old_row->'min_coverage',
                    'max_energy', old_row->'max_energy', 'hot_threshold', old_row->'hot_threshold'),
                'new', jsonb_build_object('min_energy', new_row->'min_energy', 'min_coverage', new_row->'min_coverage',
                    'max_energy', new_row->'max_energy', 'hot_threshold', new_row->'hot_threshold'));
        ELSIF (old_row->'name', old_row->'description') IS DISTINCT FROM (new_row->'name', new_row->'description') THEN
            entry_kind := 'project.updated';
            entry_summary := format('Project renamed or described: "%s"', new_row->>'name');
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'project_members' THEN
        SELECT u.email INTO image_name FROM users u WHERE u.id = (data->>'user_id')::uuid;
        IF actor IS NULL AND TG_OP = 'INSERT' THEN
            -- The creator's own membership, added in the transaction that created the project.
            SELECT p.created_by INTO actor FROM projects p
                WHERE p.id = project AND p.created_at = (data->>'added_at')::timestamptz;
        END IF;
        extra := jsonb_build_object('user_id', data->'user_id', 'role', data->'role');
        IF TG_OP = 'INSERT' THEN
            entry_kind := 'member.added';
            entry_summary := format('%s added as %s', coalesce(image_name, data->>'user_id'), data->>'role');
        ELSIF TG_OP = 'DELETE' THEN
            entry_kind := 'member.removed';
            entry_summary := format('%s removed (was %s)', coalesce(image_name, data->>'user_id'), data->>'role');
        ELSIF old_row->>'role' IS DISTINCT FROM new_row->>'role' THEN
            entry_kind := 'member.role_changed';
            entry_summary := format('%s: role %s → %s', coalesce(image_name, data->>'user_id'), old_row->>'role',
                new_row->>'role');
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'images' THEN
        extra := jsonb_build_object('image_id', data->'id', 'sha256', data->'sha256');
        IF TG_OP = 'INSERT' THEN
            entry_kind := 'image.uploaded';
            entry_summary := format('Image %s uploaded (%s×%s %s)', nullif(data->>'file_name', ''), data->>'width',
                data->>'height', data->>'format');
        ELSIF TG_OP = 'DELETE' THEN
            entry_kind := 'image.deleted';
            entry_summary := format('Image %s deleted', nullif(data->>'file_name', ''));
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'region_versions' THEN
        SELECT i.project_id, i.file_name INTO project, image_name FROM images i WHERE i.id = (data->>'image_id')::uuid;
        entry_kind := 'regions.saved';
        entry_summary := format('Regions of %s saved as v%s%s', nullif(image_name, ''), data->>'version',
            CASE WHEN coalesce(data->>'summary', '') = '' THEN '' ELSE ': ' || (data->>'summary') END);
        extra := jsonb_build_object('image_id', data->'image_id', 'version', data->'version');
    WHEN 'prompt_versions' THEN
        extra := jsonb_build_object('prompt_id', data->'prompt_id', 'version', data->'version');
        IF TG_OP = 'INSERT' THEN
            entry_kind := CASE WHEN (data->>'version')::int = 1 THEN 'prompt.created' ELSE 'prompt.versioned' END;
            entry_summary := format('Prompt "%s" v%s created', data->>'name', data->>'version');
        ELSIF TG_OP = 'UPDATE' AND (old_row->'name', old_row->'text') IS DISTINCT FROM (new_row->'name', new_row->'text') THEN
            entry_kind := 'prompt.edited';
            entry_summary := format('Prompt "%s" v%s edited in place (no runs yet)', data->>'name', data->>'version');
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'runs' THEN
        SELECT i.file_name INTO image_name FROM images i WHERE i.id = (data->>'image_id')::uuid;
        SELECT format('"%s" v%s', p.name, p.version) INTO prompt_label FROM prompt_versions p
            WHERE p.id = (data->>'prompt_version_id')::uuid;
        extra := jsonb_build_object('run_id', data->'id', 'lineage_id', data->'lineage_id', 'revision', data->'revision',
            'prompt_version_id', data->'prompt_version_id', 'image_id', data->'image_id');
        IF (data->>'revision')::int = 1 THEN
            entry_kind := 'run.created';
            entry_summary := format('Run of prompt %s on %s (model %s, %s)', prompt_label, nullif(image_name, ''),
                nullif(data->>'model_name', ''), data->>'source');
        ELSE
            entry_kind := 'run.revised';
            entry_summary := format('Run revision %s of prompt %s on %s (heatmaps or description replaced)',
                data->>'revision', prompt_label, nullif(image_name, ''));
        END IF;
    WHEN 'scoring_jobs' THEN
        IF data->>'reason' IN ('created', 'revision') THEN RETURN NULL; END IF;
        SELECT r.project_id, i.file_name INTO project, image_name
            FROM runs r JOIN images i ON i.id = r.image_id WHERE r.id = (data->>'run_id')::uuid;
        entry_kind := 'run.rescore_queued';
        entry_summary := format('Re-score of the run on %s queued (%s)', nullif(image_name, ''), data->>'reason');
        extra := jsonb_build_object('run_id', data->'run_id', 'reason', data->'reason');
    WHEN 'run_scores' THEN
        SELECT r.project_id, i.file_name INTO project, image_name
            FROM runs r JOIN images i ON i.id = r.image_id WHERE r.id = (data->>'run_id')::uuid;
        entry_kind := 'run.scored';
        entry_summary := format('Run on %s scored: %s%s (%s)', nullif(image_name, ''), data->>'verdict',
            CASE WHEN data->>'error_code' IS NULL THEN '' ELSE ' ' || (data->>'error_code') END, data->>'engine_version');
        extra := jsonb_build_object('run_id', data->'run_id', 'verdict', data->'verdict',
            'region_version_id', data->'region_version_id');
    WHEN 'api_tokens' THEN
        extra := jsonb_build_object('token_id', data->'id', 'prefix', data->'prefix');
        IF TG_OP = 'INSERT' THEN
            entry_kind := 'token.created';
            entry_summary := format('API token "%s" (%s…) created', data->>'name', data->>'prefix');
        ELSIF TG_OP = 'UPDATE' AND old_row->>'revoked_at' IS NULL AND new_row->>'revoked_at' IS NOT NULL THEN
            entry_kind := 'token.revoked';
            entry_summary := format('API token "%s" (%s…) revoked', data->>'name', data->>'prefix');
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'sign_offs' THEN
        SELECT format('"%s" v%s', p.name, p.version) INTO prompt_label FROM prompt_versions p
            WHERE p.id = (data->>'prompt_version_id')::uuid;
        entry_kind := CASE WHEN data->>'decision' = 'approve' THEN 'signoff.approved' ELSE 'signoff.rejected' END;
        entry_summary := format('Prompt %s %s%s (digest %s…)', prompt_label,
            CASE WHEN data->>'decision' = 'approve' THEN 'approved' ELSE 'rejected' END,
            CASE WHEN (data->>'override')::boolean THEN ' with override of failing verdicts' ELSE '' END,
            left(data->>'digest', 12));
        extra := jsonb_build_object('sign_off_id', data->'id', 'prompt_version_id', data->'prompt_version_id',
            'decision', data->'decision', 'override', data->'override', 'digest', data->'digest');
    WHEN 'review_comments' THEN
        SELECT i.file_name INTO image_name FROM images i WHERE i.id = (data->>'image_id')::uuid;
        extra := jsonb_build_object('comment_id', data->'id', 'run_id', data->'run_id', 'status', data->'status');
        IF TG_OP = 'INSERT' THEN
            entry_kind := 'comment.created';
            entry_summary := format('Comment on %s: %s', nullif(image_name, ''), left(data->>'body', 200));
        ELSIF TG_OP = 'UPDATE' AND old_row->>'status' IS DISTINCT FROM new_row->>'status' THEN
            entry_kind := CASE WHEN data->>'status' = 'resolved' THEN 'comment.resolved' ELSE 'comment.reopened' END;
            entry_summary := format('Comment on %s %s', nullif(image_name, ''),
                CASE WHEN data->>'status' = 'resolved' THEN 'resolved' ELSE 'reopened' END);
        ELSE
            RETURN NULL;
        END IF;
    WHEN 'review_comment_replies' THEN
        entry_kind := 'comment.replied';
        entry_summary := format('Reply: %s', left(data->>'body', 200));
        extra := jsonb_build_object('comment_id', data->'comment_id', 'reply_id', data->'id');
    ELSE
        entry_kind := lower(TG_TABLE_NAME) || '.' || lower(TG_OP);
        entry_summary := format('%s %s', TG_OP, TG_TABLE_NAME);
    END CASE;

    IF actor IS NOT NULL THEN
        SELECT u.display_name INTO actor_display FROM users u WHERE u.id = actor;
    END IF;
    INSERT INTO audit_log (project_id, actor_id, actor_name, kind, summary, subject_table, subject_id, details)
    VALUES (project, actor, coalesce(actor_display, ''), entry_kind, coalesce(entry_summary, entry_kind),
        TG_TABLE_NAME, coalesce(data->>'id', data->>'user_id', ''), extra);
    RETURN NULL;
END
$$;
