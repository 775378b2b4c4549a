#!/usr/bin/env bash
# Starts PostgreSQL 15 (Debian cluster 15/main) on 127.0.0.1:5432 and ensures the payments role and database
# (infra/postgres/init.sql), with TLS offered on the certificate of infra/scripts/make-tls.sh (plain connections are
# still accepted: the tests use both). Idempotent; quick when the server is already up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Fast path, no root needed: the server answers and the payments role logs in with what the tests need.
payments_ready() {
  [[ "$(PGPASSWORD=payments PGCONNECT_TIMEOUT=3 psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U payments -d payments -tAc \
    'SELECT rolsuper AND rolcreatedb FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" == t ]]
}
# The server's copy of the certificate and key, owned by postgres (it refuses a key others can read).
PG_TLS_DIR=/var/lib/postgresql/payments-workflows-tls
tls_ready() {
  cmp -s "$TLS_DIR/server.pem" "$PG_TLS_DIR/server.pem" &&
    [[ "$(PGPASSWORD=payments PGCONNECT_TIMEOUT=3 psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U payments -d payments -tAc \
      "SELECT current_setting('ssl') || ' ' || current_setting('ssl_cert_file')" 2>/dev/null)" == "on $PG_TLS_DIR/server.pem" ]]
}
bash "$INFRA_DIR/scripts/make-tls.sh"

if command -v psql >/dev/null && payments_ready && tls_ready; then
  log "PostgreSQL already running on 127.0.0.1:$PG_PORT with role and database payments"
  exit 0
fi

command -v pg_ctlcluster >/dev/null && [[ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]] ||
  bash "$INFRA_DIR/scripts/install-services.sh"
require_root

cluster_field() { pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" -v f="$1" '$1 == v && $2 == c { print $f }'; }

if [[ -z "$(cluster_field 1)" ]]; then
  log "creating cluster $PG_VERSION/$PG_CLUSTER"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" >/dev/null
fi
port="$(cluster_field 3)"
if [[ "$port" != "$PG_PORT" ]]; then
  # The package gives a new cluster the next free port when 5432 was taken at install time.
  log "cluster $PG_VERSION/$PG_CLUSTER is configured for port $port; moving it to $PG_PORT"
  if [[ "$(cluster_field 4)" == online ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" stop </dev/null
  fi
  pg_conftool "$PG_VERSION" "$PG_CLUSTER" set port "$PG_PORT"
fi

if [[ "$(cluster_field 4)" == online ]]; then
  log "PostgreSQL $PG_VERSION/$PG_CLUSTER already running on port $PG_PORT"
else
  log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER on 127.0.0.1:$PG_PORT"
  # Settings passed at start, so nothing under /etc is edited: loopback only, and room for the
  # connection pools of many per-test databases.
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start -- \
    -o "-c listen_addresses=127.0.0.1 -c max_connections=300" </dev/null >/dev/null ||
    die "PostgreSQL did not start; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
fi

wait_until 60 "PostgreSQL to accept connections on 127.0.0.1:$PG_PORT" \
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 1

# Peer authentication over the local socket as the postgres superuser; the script arrives on stdin
# because the postgres user may not be able to read this checkout.
(cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres <"$INFRA_DIR/postgres/init.sql" >/dev/null)

if ! tls_ready; then
  log "serving TLS with the certificate in $PG_TLS_DIR (ALTER SYSTEM, then a reload: no restart)"
  install -d -o postgres -g postgres -m 700 "$PG_TLS_DIR"
  install -o postgres -g postgres -m 644 "$TLS_DIR/server.pem" "$PG_TLS_DIR/server.pem"
  install -o postgres -g postgres -m 600 "$TLS_DIR/server.key" "$PG_TLS_DIR/server.key"
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
    -c "ALTER SYSTEM SET ssl_cert_file = '$PG_TLS_DIR/server.pem'" \
    -c "ALTER SYSTEM SET ssl_key_file = '$PG_TLS_DIR/server.key'" \
    -c "ALTER SYSTEM SET ssl = on" \
    -c "SELECT pg_reload_conf()" >/dev/null)
  wait_until 10 "PostgreSQL to load the TLS settings" tls_ready ||
    die "PostgreSQL did not take the certificate in $PG_TLS_DIR; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
fi

# Prove the connection string the tests get really works (TCP, password authentication).
payments_ready ||
  die "cannot log in as payments on 127.0.0.1:$PG_PORT (check pg_hba.conf allows password logins from 127.0.0.1)"
log "PostgreSQL ready: Host=127.0.0.1;Port=$PG_PORT;Username=payments;Database=payments"
