#!/bin/sh
# Compose one-shot `temporal-schema` (image temporalio/admin-tools): creates Temporal's two PostgreSQL
# databases and brings their schemas up to date. Idempotent: on a second run the databases exist,
# setup-schema keeps the recorded version and update-schema applies only newer versions.
set -eu

host="${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
port="${DB_PORT:-5432}"
user="${POSTGRES_USER:?POSTGRES_USER is required}"
schema=/etc/temporal/schema/postgresql/v12

until nc -z "$host" "$port"; do
  echo "temporal-schema: waiting for PostgreSQL at $host:$port"
  sleep 1
done

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$host" -p "$port" -u "$user" "$@"
}

for db in temporal temporal_visibility; do
  # `create` fails when the database already exists (a re-run); a database that is really missing
  # makes setup-schema fail right after, so nothing is hidden.
  sql --db "$db" create || echo "temporal-schema: database $db exists"
  sql --db "$db" setup-schema -v 0.0
done
sql --db temporal update-schema -d "$schema/temporal/versioned"
sql --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo "temporal-schema: databases temporal and temporal_visibility are up to date"
