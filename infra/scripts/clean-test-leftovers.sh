#!/usr/bin/env bash
# Deletes what interrupted test runs left on the LOCAL servers: virtual hosts and databases whose names end in
# the fixtures' 12-hex-digit suffix (e.g. lifecycle-0a1b2c3d4e5f, crash_0a1b2c3d4e5f). A killed run cannot
# clean up after itself, and leftover quorum queues slow every later run's broker. Never touches "/",
# "payments" or any other name. Also deletes the fixtures' per-vhost users ({vhost}-service, {vhost}-publisher).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v rabbitmqctl >/dev/null && rabbitmqctl -q ping >/dev/null 2>&1; then
  count=0
  while read -r vhost; do
    [[ "$vhost" =~ ^[a-z0-9_]+-[0-9a-f]{12}$ ]] || continue
    timeout 60 rabbitmqctl -q delete_vhost "$vhost" </dev/null >/dev/null 2>&1 || log "could not delete vhost $vhost"
    count=$((count + 1))
  done < <(timeout 60 rabbitmqctl -q list_vhosts --no-table-headers 2>/dev/null || true)
  log "deleted $count leftover test vhost(s)"
  # The least-privilege users the fixtures create per virtual host ({vhost}-service, {vhost}-publisher).
  count=0
  while read -r user _; do
    [[ "$user" =~ ^[a-z0-9_]+-[0-9a-f]{12}-(service|publisher)$ ]] || continue
    timeout 60 rabbitmqctl -q delete_user "$user" </dev/null >/dev/null 2>&1 || log "could not delete user $user"
    count=$((count + 1))
  done < <(timeout 60 rabbitmqctl -q list_users --no-table-headers 2>/dev/null || true)
  log "deleted $count leftover test user(s)"
fi

if command -v psql >/dev/null; then
  count=0
  while read -r db; do
    [[ "$db" =~ ^[a-z0-9_]+_[0-9a-f]{12}$ ]] || continue
    su postgres -c "psql -q -p $PG_PORT -c 'DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)'" </dev/null >/dev/null 2>&1 || log "could not drop database $db"
    count=$((count + 1))
  done < <(su postgres -c "psql -At -p $PG_PORT -c 'SELECT datname FROM pg_database'" 2>/dev/null || true)
  log "dropped $count leftover test database(s)"
fi
