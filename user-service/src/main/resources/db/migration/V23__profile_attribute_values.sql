-- Segments' attribute tests (issue 23) read every profile's attributes flattened into rows, one per value that is
-- not JSON null: its path (object keys and array positions, as #> takes them) and, for a string, number or boolean,
-- its text as #>> gives it. A count of `attribute=utm.source=ads` or `attribute=plan` is then one range of an index,
-- read alone, instead of parsing every profile's JSON (AttributeSql; docs/DESIGN.md "Segment counts of one member").
-- Kept by row triggers on user_profiles, which only profile writes touch (never ingest). A value longer than 800
-- bytes is kept without its text: no attribute filter (at most 200 characters) can equal it.
CREATE TABLE IF NOT EXISTS profile_attribute_values (
    user_id bigint NOT NULL,
    path    text[] NOT NULL,
    value   text,
    PRIMARY KEY (user_id, path)
);

-- paths of at most 8 keys, as a filter's
CREATE OR REPLACE FUNCTION attribute_values(doc jsonb) RETURNS TABLE (path text[], value text)
    LANGUAGE sql IMMUTABLE AS $$
    WITH RECURSIVE node(path, v) AS (
        SELECT ARRAY[e.key], e.value FROM jsonb_each(CASE WHEN jsonb_typeof(doc) = 'object' THEN doc END) e
        UNION ALL
        SELECT n.path || c.key, c.value
        FROM node n
        CROSS JOIN LATERAL (
            SELECT e.key, e.value FROM jsonb_each(CASE WHEN jsonb_typeof(n.v) = 'object' THEN n.v END) e
            UNION ALL
            SELECT (a.position - 1)::text, a.value
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(n.v) = 'array' THEN n.v END) WITH ORDINALITY a(value, position)
        ) c
        WHERE cardinality(n.path) < 8
    )
    SELECT path, CASE WHEN jsonb_typeof(v) NOT IN ('object', 'array') AND octet_length(v #>> '{}') <= 800 THEN v #>> '{}' END
    FROM node
    WHERE jsonb_typeof(v) <> 'null'
$$;

CREATE OR REPLACE FUNCTION registry_profile_attribute_values() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM profile_attribute_values WHERE user_id = OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO profile_attribute_values (user_id, path, value)
        SELECT NEW.user_id, a.path, a.value FROM attribute_values(NEW.attributes) a;
    END IF;
    RETURN NULL;
END
$$;

-- no profile write may slip in between the copy below and the triggers
LOCK TABLE user_profiles IN SHARE ROW EXCLUSIVE MODE;

DROP TRIGGER IF EXISTS user_profiles_attribute_values ON user_profiles;
CREATE TRIGGER user_profiles_attribute_values
    AFTER INSERT OR DELETE ON user_profiles
    FOR EACH ROW EXECUTE FUNCTION registry_profile_attribute_values();
DROP TRIGGER IF EXISTS user_profiles_attribute_values_update ON user_profiles;
CREATE TRIGGER user_profiles_attribute_values_update
    AFTER UPDATE OF attributes, user_id ON user_profiles
    FOR EACH ROW WHEN (OLD.attributes IS DISTINCT FROM NEW.attributes OR OLD.user_id <> NEW.user_id)
    EXECUTE FUNCTION registry_profile_attribute_values();

DELETE FROM profile_attribute_values;
INSERT INTO profile_attribute_values (user_id, path, value)
SELECT p.user_id, a.path, a.value FROM user_profiles p, attribute_values(p.attributes) a;

-- a path's values (presence: the whole path range), each one's users in id order: read alone, also when joined by id
CREATE INDEX IF NOT EXISTS profile_attribute_values_path_idx ON profile_attribute_values (path, value, user_id);
ANALYZE profile_attribute_values;
