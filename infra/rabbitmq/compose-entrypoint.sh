#!/usr/bin/env bash
# The rabbitmq service of docker-compose.yml: starts the broker as the image does, then gives the users of
# definitions.json (created there without a password) their passwords from the environment, creates the
# administrator payments-admin, and deletes guest. The healthcheck waits for /tmp/payments-users-ready.
set -euo pipefail
export HOME=/var/lib/rabbitmq
ready=/tmp/payments-users-ready
rm -f "$ready"

docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT

until rabbitmqctl -q await_startup --timeout 30 >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit 1; }
  sleep 1
done

rabbitmqctl -q list_users | awk '{ print $1 }' | grep -qx payments-admin ||
  rabbitmqctl -q add_user payments-admin "$RABBITMQ_ADMIN_PASSWORD" >/dev/null
rabbitmqctl -q change_password payments-admin "$RABBITMQ_ADMIN_PASSWORD" >/dev/null
rabbitmqctl -q set_user_tags payments-admin administrator >/dev/null
rabbitmqctl -q set_permissions -p payments payments-admin '.*' '.*' '.*' >/dev/null
rabbitmqctl -q change_password payments-service "$PAYMENTS_RABBITMQ_SERVICE_PASSWORD" >/dev/null
rabbitmqctl -q change_password payments-publisher "$PAYMENTS_RABBITMQ_PUBLISHER_PASSWORD" >/dev/null
rabbitmqctl -q change_password payments-ops "$PAYMENTS_RABBITMQ_OPS_PASSWORD" >/dev/null
rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
touch "$ready"

wait "$server"
