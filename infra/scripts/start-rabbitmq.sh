#!/usr/bin/env bash
# Starts RabbitMQ (Debian's 3.10) bound to 127.0.0.1 (AMQP 5672, AMQPS 5671, management 15672, prometheus 15692) with
# infra/rabbitmq's plugins, settings and definitions, and ensures its users (docs/operations.md, "Transport
# security"): the administrator payments (the test fixtures and these scripts only), payments-service,
# payments-publisher and payments-ops with local-only passwords equal to their names, and no guest.
# Idempotent; quick when the broker is already up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USER_NAME=$RABBITMQ_ADMIN_USER
USER_PASSWORD=payments
# Users the definitions create without a password; this script gives each its local-only password.
LEAST_PRIVILEGE_USERS=("$RABBITMQ_SERVICE_USER" "$RABBITMQ_PUBLISHER_USER" "$RABBITMQ_OPS_USER")
VHOSTS=(/ payments)
MANAGEMENT_URL="http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT"

api() { curl -fsS --max-time 10 -u "$USER_NAME:$USER_PASSWORD" "$MANAGEMENT_URL/api/$1"; }
absent() { [[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -u "$USER_NAME:$USER_PASSWORD" "$MANAGEMENT_URL/api/$1")" == 404 ]]; }

# Everything the tests rely on, checked through the management API (no Erlang CLI start-up: fast).
ready() {
  api whoami | grep -q '"administrator"' || return 1
  api aliveness-test/%2F | grep -q '"ok"' || return 1
  local vhost user
  for vhost in "${VHOSTS[@]}"; do
    api "permissions/$(vhost_path "$vhost")/$USER_NAME" | grep -q '"configure":"\.\*"' || return 1
  done
  for user in "${LEAST_PRIVILEGE_USERS[@]}"; do
    api "users/$user" | grep -q '"password_hash":"[^"]' || return 1
  done
  absent users/guest || return 1
  listening "$RABBITMQ_AMQPS_PORT" || return 1
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
vhost_path() { [[ "$1" == / ]] && printf '%%2F' || printf '%s' "$1"; }

node_running() { rabbitmqctl -q ping >/dev/null 2>&1; }
management_listening() { curl -s -o /dev/null --max-time 2 "$MANAGEMENT_URL/api/overview"; }

# The node's configuration as generated from infra/rabbitmq: the shared rabbitmq.conf with load_definitions
# pointing at the runtime copy and every listener on loopback.
render_conf() {
  sed "s|^load_definitions = .*|load_definitions = $RABBITMQ_RUNTIME_DIR/definitions.json|" "$INFRA_DIR/rabbitmq/rabbitmq.conf"
  printf '\n# Added by infra/scripts/start-rabbitmq.sh: loopback only.\n'
  printf 'listeners.tcp.local = 127.0.0.1:%s\n' "$RABBITMQ_AMQP_PORT"
  # amqps:// with the certificate of infra/scripts/make-tls.sh; clients are not asked for one.
  printf 'listeners.ssl.local = 127.0.0.1:%s\n' "$RABBITMQ_AMQPS_PORT"
  printf 'ssl_options.cacertfile = %s\n' "$RABBITMQ_RUNTIME_DIR/tls/ca.pem"
  printf 'ssl_options.certfile = %s\n' "$RABBITMQ_RUNTIME_DIR/tls/server.pem"
  printf 'ssl_options.keyfile = %s\n' "$RABBITMQ_RUNTIME_DIR/tls/server.key"
  printf 'ssl_options.verify = verify_none\n'
  printf 'ssl_options.fail_if_no_peer_cert = false\n'
  printf 'ssl_options.versions.1 = tlsv1.3\n'
  printf 'ssl_options.versions.2 = tlsv1.2\n'
  printf 'management.tcp.ip = 127.0.0.1\n'
  printf 'prometheus.tcp.ip = 127.0.0.1\n'
}

# Changes to infra/rabbitmq (or to render_conf) change this, so a running node with stale settings is restarted.
config_fingerprint() {
  { render_conf; cat "$INFRA_DIR/rabbitmq/"{enabled_plugins,definitions.json,advanced.config} "$TLS_DIR/server.pem"; } |
    sha256sum | cut -d' ' -f1
}
running_config_is_current() {
  [[ "$(cat "$RABBITMQ_RUNTIME_DIR/fingerprint" 2>/dev/null)" == "$(config_fingerprint)" ]]
}

prepare_runtime_config() {
  install -d -o rabbitmq -g rabbitmq -m 755 "$RABBITMQ_RUNTIME_DIR"
  install -o rabbitmq -g rabbitmq -m 644 "$INFRA_DIR/rabbitmq/enabled_plugins" "$RABBITMQ_RUNTIME_DIR/enabled_plugins"
  install -o rabbitmq -g rabbitmq -m 644 "$INFRA_DIR/rabbitmq/advanced.config" "$RABBITMQ_RUNTIME_DIR/advanced.config"
  install -o rabbitmq -g rabbitmq -m 600 "$INFRA_DIR/rabbitmq/definitions.json" "$RABBITMQ_RUNTIME_DIR/definitions.json"
  install -d -o rabbitmq -g rabbitmq -m 700 "$RABBITMQ_RUNTIME_DIR/tls"
  install -o rabbitmq -g rabbitmq -m 644 "$TLS_CA_FILE" "$RABBITMQ_RUNTIME_DIR/tls/ca.pem"
  install -o rabbitmq -g rabbitmq -m 644 "$TLS_DIR/server.pem" "$RABBITMQ_RUNTIME_DIR/tls/server.pem"
  install -o rabbitmq -g rabbitmq -m 600 "$TLS_DIR/server.key" "$RABBITMQ_RUNTIME_DIR/tls/server.key"
  render_conf >"$RABBITMQ_RUNTIME_DIR/rabbitmq.conf"
  chown rabbitmq:rabbitmq "$RABBITMQ_RUNTIME_DIR/rabbitmq.conf"
  config_fingerprint >"$RABBITMQ_RUNTIME_DIR/fingerprint"
}

start_node() {
  prepare_runtime_config
  log "starting RabbitMQ on 127.0.0.1:$RABBITMQ_AMQP_PORT and :$RABBITMQ_AMQPS_PORT (management :$RABBITMQ_MANAGEMENT_PORT, prometheus :$RABBITMQ_PROMETHEUS_PORT)"
  # The wrapper runs the node as the rabbitmq user and keeps these variables. The schedulers sleep when idle instead
  # of busy-waiting (+sbwt/+sbwtdcpu/+sbwtdio none): on a small host shared with PostgreSQL and the service, spinning
  # schedulers take CPU the others need. RabbitMQ 3.10's own default is the same; set here so it stays so.
  RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD=none \
    RABBITMQ_CONFIG_FILE="$RABBITMQ_RUNTIME_DIR/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_RUNTIME_DIR/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_RUNTIME_DIR/enabled_plugins" \
    rabbitmq-server -detached </dev/null >>"$RABBITMQ_RUNTIME_DIR/startup.log" 2>&1
  local deadline=$((SECONDS + 120))
  # await_startup fails at once while the node is not yet reachable, so retry it until the deadline.
  until rabbitmqctl -q await_startup --timeout 30 >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "/var/log/rabbitmq/rabbit@$(hostname -s).log" >&2 || true
      die "RabbitMQ did not start within 120s; see /var/log/rabbitmq/ and $RABBITMQ_RUNTIME_DIR/startup.log"
    fi
    sleep 0.5
  done
}

ensure_users() {
  if ! rabbitmqctl -q list_users | awk '{ print $1 }' | grep -qx "$USER_NAME"; then
    rabbitmqctl -q add_user "$USER_NAME" "$USER_PASSWORD" >/dev/null
  fi
  rabbitmqctl -q change_password "$USER_NAME" "$USER_PASSWORD" >/dev/null
  rabbitmqctl -q set_user_tags "$USER_NAME" administrator >/dev/null
  local vhost user
  for vhost in "${VHOSTS[@]}"; do
    rabbitmqctl -q list_vhosts | grep -qx -- "$vhost" || rabbitmqctl -q add_vhost "$vhost" >/dev/null
    rabbitmqctl -q set_permissions -p "$vhost" "$USER_NAME" '.*' '.*' '.*' >/dev/null
  done
  # The other users, their tags and permissions as the definitions say (a node whose data predates them), then
  # their local-only passwords. Importing blanks their passwords, so only when one is missing.
  local existing
  existing="$(rabbitmqctl -q list_users | awk '{ print $1 }')"
  for user in "${LEAST_PRIVILEGE_USERS[@]}"; do
    if ! grep -qx -- "$user" <<<"$existing"; then
      rabbitmqctl -q import_definitions "$RABBITMQ_RUNTIME_DIR/definitions.json" >/dev/null
      break
    fi
  done
  for user in "${LEAST_PRIVILEGE_USERS[@]}"; do
    rabbitmqctl -q authenticate_user "$user" "$user" >/dev/null 2>&1 ||
      rabbitmqctl -q change_password "$user" "$user" >/dev/null
  done
  if rabbitmqctl -q list_users | awk '{ print $1 }' | grep -qx guest; then
    rabbitmqctl -q delete_user guest >/dev/null
  fi
}

bash "$INFRA_DIR/scripts/make-tls.sh"

# Fast path, no root needed.
if command -v curl >/dev/null && running_config_is_current && ready 2>/dev/null; then
  log "RabbitMQ already running with user $USER_NAME"
  exit 0
fi

command -v rabbitmq-server >/dev/null && command -v curl >/dev/null ||
  bash "$INFRA_DIR/scripts/install-services.sh"
require_root

if ! node_running; then
  start_node
elif ! management_listening || ! running_config_is_current; then
  # Running, but not with this checkout's infra/rabbitmq settings (started by the package, or the files changed).
  log "RabbitMQ is running with other settings than infra/rabbitmq; restarting it"
  rabbitmqctl -q shutdown >/dev/null
  start_node
fi

# The definitions create the user at boot; this covers a node whose data predates them or was edited since.
ready 2>/dev/null || ensure_users
wait_until 60 "the management API to answer for user $USER_NAME" ready ||
  die "RabbitMQ is up but the management API at $MANAGEMENT_URL does not answer for $USER_NAME"
log "RabbitMQ ready: amqp://127.0.0.1:$RABBITMQ_AMQP_PORT/ and amqps://localhost:$RABBITMQ_AMQPS_PORT/ (vhosts: ${VHOSTS[*]}; users $USER_NAME, ${LEAST_PRIVILEGE_USERS[*]}), management $MANAGEMENT_URL"
