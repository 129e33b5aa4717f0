#!/usr/bin/env bash
# Undo of an adoption (README "Adopting a running bot's database"): with user-service stopped, writes what the registry
# learned back into the bot's tables, removes the capture triggers and renames schema registry to registry_undone_<time>.
# Safe to run again after an interruption; after a finished undo it says so and changes nothing.
# Connection as psql takes it: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (or pass psql options as arguments).
set -euo pipefail
if [ "$(psql -X -At "$@" -c "SELECT to_regnamespace('registry') IS NOT NULL")" != t ]; then
  echo "nothing to undo: this database has no schema registry"
  exit 0
fi
psql -X -v ON_ERROR_STOP=1 "$@" -c 'CALL registry.undo_adoption()'
echo "undone: the registry's tables are kept in $(psql -X -At "$@" -c "SELECT string_agg(nspname, ', ') FROM pg_namespace WHERE nspname LIKE 'registry_undone_%'")"
