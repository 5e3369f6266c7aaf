#!/usr/bin/env bash
# Runs the whole platform locally through the Aspire AppHost, without containers: installs what is
# missing, builds, and runs the AppHost, which starts PostgreSQL, RabbitMQ, Dovecot IMAP and maildev as
# executables (scripts/local-server.sh, data under .local/apphost), migrates each service's database,
# seeds the sample stores, starts the six services and the dashboard. Prints the URLs once every
# service is healthy. Ctrl-C stops everything.
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

APPHOST_PROJECT=AppHost/Closely.AppHost.csproj
APPHOST_DLL=AppHost/bin/Release/net10.0/Closely.AppHost.dll
APPHOST_LOG="$LOCAL_DIR/logs/apphost.log"
APPHOST_PID_FILE="$LOCAL_DIR/apphost.pid"
# A first start creates the servers' data and seeds 3 x 100 000 people: allow for it.
HEALTH_TIMEOUT=600

# The AppHost's fixed ports (AppHost/AppHost.cs; the dashboard's as in AppHost/Properties/launchSettings.json),
# none of them used by test.sh's servers, so both can run at once.
DASHBOARD_PORT=15240
DASHBOARD_OTLP_PORT=19240
RESOURCE_SERVICE_PORT=20240
SERVICES=("Intake 5100" "Cases 5200" "Identity 5300" "DataLocator 5400" "ErasureExecutor 5500" "Notification 5600")
APPHOST_PG_PORT=56432
APPHOST_AMQP_PORT=56672
APPHOST_RABBIT_MGMT_PORT=56673
APPHOST_SMTP_PORT=52025
APPHOST_MAILDEV_WEB_PORT=52080
APPHOST_IMAP_PORT=52143

# `seed` keeps sample stores seeded before; `./run.sh --reset-stores` drops and seeds them again.
STORES_COMMAND=seed
case "${1:-}" in
  "") ;;
  --reset-stores) STORES_COMMAND=reset ;;
  *) echo "usage: ./run.sh [--reset-stores]" >&2 && exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build() {
  log "building $APPHOST_PROJECT and the services (Release)"
  dotnet build "$APPHOST_PROJECT" -c Release --disable-build-servers --nologo -v quiet || die "build failed"
  [[ -f $APPHOST_DLL ]] || die "build produced no $APPHOST_DLL"
}

check_ports() {
  local entry name port
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    require_port_free "$port" "$name"
  done
  require_port_free "$DASHBOARD_PORT" 'Aspire dashboard'
  require_port_free "$DASHBOARD_OTLP_PORT" 'Aspire dashboard OTLP'
  require_port_free "$RESOURCE_SERVICE_PORT" 'Aspire resource service'
  require_port_free "$APPHOST_PG_PORT" PostgreSQL
  require_port_free "$APPHOST_AMQP_PORT" 'RabbitMQ AMQP'
  require_port_free "$APPHOST_RABBIT_MGMT_PORT" 'RabbitMQ management'
  require_port_free "$APPHOST_SMTP_PORT" 'maildev SMTP'
  require_port_free "$APPHOST_MAILDEV_WEB_PORT" 'maildev web'
  require_port_free "$APPHOST_IMAP_PORT" 'Dovecot IMAP'
}

# An AppHost left running by an earlier run.sh that was killed (no clean-up) is stopped first; DCP
# stops its servers and services with it.
stop_leftover_apphost() {
  stop_recorded "$APPHOST_PID_FILE" Closely.AppHost.dll AppHost 90 "stopping the AppHost left running by an earlier run"
}

# The AppHost in Development, with the ports and settings of its launch profile `http`. The keys and
# passwords come from .local/secrets.env, so the data under .local/apphost stays readable across runs.
# It runs in a session of its own: Ctrl-C reaches only this script, whose exit hook stops the AppHost
# with TERM, and the AppHost then stops its resources in order (a Ctrl-C reaching DCP and the services
# at the same time would leave the AppHost waiting for them).
start_apphost() {
  local account service_passwords=()
  # Each service's own PostgreSQL and RabbitMQ password (scripts/lib/service-accounts.sh, ADR 40).
  for account in "${SERVICE_ACCOUNTS[@]}"; do
    service_passwords+=("Parameters__postgres-$account-password=$(service_password POSTGRES "$account")"
      "Parameters__messaging-$account-password=$(service_password RABBITMQ "$account")")
  done
  DASHBOARD_TOKEN=$(random_hex 16)
  mkdir -p "$(dirname "$APPHOST_LOG")"
  add_exit_hook stop_apphost
  log "starting the AppHost (log: ${APPHOST_LOG#"$ROOT_DIR"/})"
  env DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
    ASPNETCORE_URLS="http://localhost:$DASHBOARD_PORT" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://localhost:$DASHBOARD_OTLP_PORT" \
    ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$RESOURCE_SERVICE_PORT" \
    ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN="$DASHBOARD_TOKEN" \
    LocalServers__DataDirectory="$LOCAL_DIR/apphost" \
    SampleStores__Command="$STORES_COMMAND" \
    "Parameters__privacy-encryption-key=$PRIVACY_ENCRYPTION_KEY" \
    "Parameters__privacy-blind-index-key=$PRIVACY_BLIND_INDEX_KEY" \
    "Parameters__identity-link-signing-key=$IDENTITY_LINK_SIGNING_KEY" \
    "Parameters__audit-chain-key=$AUDIT_CHAIN_KEY" \
    "Parameters__audit-anchor-signing-key=$AUDIT_ANCHOR_SIGNING_KEY" \
    "Parameters__postgres-password=$CLOSELY_POSTGRES_PASSWORD" \
    "Parameters__messaging-password=$CLOSELY_RABBITMQ_PASSWORD" \
    "Parameters__mailbox-password=$CLOSELY_IMAP_PASSWORD" \
    "${service_passwords[@]}" \
    setsid dotnet "$APPHOST_DLL" </dev/null >"$APPHOST_LOG" 2>&1 &
  echo $! >"$APPHOST_PID_FILE"
}

# DCP, which the AppHost started, stops the services and servers once the AppHost has gone: wait for
# the servers (their command lines name their data folder), so that Ctrl-C returns with all stopped.
stop_apphost() {
  stop_recorded "$APPHOST_PID_FILE" Closely.AppHost.dll AppHost 90 "stopping the AppHost and everything it started"
  local deadline=$((SECONDS + 60))
  while pgrep -f "$LOCAL_DIR/apphost/" >/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
}

service_healthy() { [[ $(http_status "http://localhost:$1/health") == 200 ]]; }

wait_for_services() {
  local entry name port
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    wait_ready "$name" "$HEALTH_TIMEOUT" "$(read_pid "$APPHOST_PID_FILE")" "$APPHOST_LOG" service_healthy "$port"
  done
}

# The development dpo user's TOTP secret, from the one place that holds it.
dev_totp_secret() {
  grep -o '"TotpSecret": *"[A-Z2-7]*"' services/Cases/appsettings.Development.json | head -n 1 | cut -d '"' -f 4
}

print_urls() {
  local entry name port rel=${LOCAL_DIR#"$ROOT_DIR"/}
  echo
  echo "Closely Platform is running under the Aspire AppHost. Ctrl-C stops everything."
  echo
  printf '  %-20s %s\n' 'Dashboard' "http://localhost:$DASHBOARD_PORT/login?t=$DASHBOARD_TOKEN"
  echo
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    printf '  %-20s http://localhost:%s\n' "$name" "$port"
  done
  echo
  printf '  %-20s %s\n' \
    'DPO console' "http://localhost:5200  (development users: dpo / closely-dpo acts, with the code of: oathtool --totp -b $(dev_totp_secret); viewer / closely-viewer reads)" \
    'RabbitMQ management' "http://localhost:$APPHOST_RABBIT_MGMT_PORT  (user closely, password: CLOSELY_RABBITMQ_PASSWORD in $rel/secrets.env)" \
    'maildev (SMTP sink)' "http://localhost:$APPHOST_MAILDEV_WEB_PORT  (SMTP localhost:$APPHOST_SMTP_PORT)" \
    'PostgreSQL' "source $rel/secrets.env && psql \"postgresql://closely:\$CLOSELY_POSTGRES_PASSWORD@127.0.0.1:$APPHOST_PG_PORT/closely\"" \
    'IMAP (privacy)' "imap://127.0.0.1:$APPHOST_IMAP_PORT  (user privacy, password: CLOSELY_IMAP_PASSWORD in $rel/secrets.env)"
  echo
  printf '  %-20s %s\n' 'Logs' "the dashboard; the AppHost's own in ${APPHOST_LOG#"$ROOT_DIR"/}"
  echo
}

# Stay in the foreground until Ctrl-C, or until the AppHost exits on its own.
wait_until_stopped() {
  local status=0
  wait "$(read_pid "$APPHOST_PID_FILE")" || status=$?
  show_log_tail "$APPHOST_LOG"
  die "the AppHost exited (status $status)"
}

# One step per line; each step needs only what the steps above it have set up.
main() {
  # oathtool: the development dpo user's sign-in code (printed below).
  prepare_machine oathtool
  ensure_maildev
  stop_leftover_apphost
  check_ports
  build
  start_apphost
  wait_for_services
  print_urls
  wait_until_stopped
}

main "$@"
