#!/usr/bin/env bash
# Stops the PostgreSQL cluster and the RabbitMQ node that start-services.sh started. Safe when either is
# already stopped or not installed. Data is kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v rabbitmqctl >/dev/null && rabbitmqctl -q ping >/dev/null 2>&1; then
  log "stopping RabbitMQ"
  rabbitmqctl -q shutdown >/dev/null
else
  log "RabbitMQ not running"
fi

if command -v pg_lsclusters >/dev/null &&
  pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
  log "stopping PostgreSQL $PG_VERSION/$PG_CLUSTER"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" stop </dev/null
else
  log "PostgreSQL $PG_VERSION/$PG_CLUSTER not running"
fi
