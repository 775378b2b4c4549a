#!/usr/bin/env bash
# Creates a local certificate authority and a server certificate signed by it (names localhost and 127.0.0.1) for
# RabbitMQ's amqps:// listener and PostgreSQL's TLS, in /var/lib/payments-workflows/tls (not in the checkout).
# Idempotent: keeps both while they are valid for another 30 days. Test clients trust ca.pem only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

valid() { [[ -s "$1" ]] && openssl x509 -checkend $((30 * 24 * 3600)) -noout -in "$1" >/dev/null 2>&1; }
signed_by_ca() { openssl verify -CAfile "$TLS_CA_FILE" "$TLS_DIR/server.pem" >/dev/null 2>&1; }

if valid "$TLS_CA_FILE" && valid "$TLS_DIR/server.pem" && [[ -s "$TLS_DIR/server.key" ]] && signed_by_ca; then
  exit 0
fi

command -v openssl >/dev/null || bash "$INFRA_DIR/scripts/install-services.sh"
require_root
install -d -m 755 "$TLS_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! valid "$TLS_CA_FILE" || [[ ! -s "$TLS_DIR/ca.key" ]]; then
  log "creating the local certificate authority in $TLS_DIR"
  openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 3650 \
    -subj "/CN=Payments Workflows local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  install -m 600 "$work/ca.key" "$TLS_DIR/ca.key"
  install -m 644 "$work/ca.pem" "$TLS_CA_FILE"
fi

log "creating the server certificate for localhost and 127.0.0.1"
openssl req -new -nodes -newkey rsa:2048 -sha256 -subj "/CN=localhost" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$work/server.ext"
openssl x509 -req -sha256 -days 825 -in "$work/server.csr" -CA "$TLS_CA_FILE" -CAkey "$TLS_DIR/ca.key" \
  -CAcreateserial -CAserial "$work/ca.srl" -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
install -m 600 "$work/server.key" "$TLS_DIR/server.key"
install -m 644 "$work/server.pem" "$TLS_DIR/server.pem"
signed_by_ca || die "the new server certificate does not verify against $TLS_CA_FILE"
log "TLS ready: CA $TLS_CA_FILE"
