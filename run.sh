#!/usr/bin/env bash
# Runs the whole platform locally without containers: starts PostgreSQL, RabbitMQ, Dovecot IMAP
# and maildev under .local/, builds, migrates each service's database, seeds the sample stores,
# starts the six services on 127.0.0.1 and prints their URLs. Ctrl-C stops every service and server.
set -euo pipefail

cd "$(dirname "$0")"
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

SOLUTION_FILTER=Closely.Platform.Local.slnf
SERVICE_LOG_DIR="$LOCAL_DIR/logs"
SERVICE_PID_DIR="$LOCAL_DIR/services"
HEALTH_TIMEOUT=90

# `seed` keeps sample stores seeded before; `./run.sh --reset-stores` drops and seeds them again.
STORES_COMMAND=seed
case "${1:-}" in
  "") ;;
  --reset-stores) STORES_COMMAND=reset ;;
  *) echo "usage: ./run.sh [--reset-stores]" >&2 && exit 2 ;;
esac

# Service name and port, in start order.
SERVICES=(
  "Intake 5100"
  "Cases 5200"
  "Identity 5300"
  "DataLocator 5400"
  "ErasureExecutor 5500"
  "Notification 5600"
)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ASPNETCORE_ENVIRONMENT=Development
# The local Dovecot speaks plain IMAP on loopback; Intake's mailbox poller defaults to TLS.
export Imap__UseTls=false

service_dll() { echo "services/$1/bin/Release/net10.0/Closely.$1.dll"; }
service_log() { local name=$1; echo "$SERVICE_LOG_DIR/${name,,}.log"; }
service_pid_file() { echo "$SERVICE_PID_DIR/$1.pid"; }

build() {
  [[ -f $SOLUTION_FILTER ]] || die "$SOLUTION_FILTER is missing"
  log "building $SOLUTION_FILTER (Release)"
  dotnet build "$SOLUTION_FILTER" -c Release --disable-build-servers --nologo -v quiet ||
    die "build failed"
  local entry name
  for entry in "${SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    [[ -f $(service_dll "$name") ]] || die "build produced no $(service_dll "$name")"
  done
}

# Each service applies its own EF Core migrations with `<dll> migrate`, one after the other.
# Like the services themselves, it runs from its project folder, where `dotnet run` would run it
# (that is the content root, with appsettings*.json).
migrate() {
  local entry name dll
  mkdir -p "$SERVICE_LOG_DIR"
  for entry in "${SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    dll="$ROOT_DIR/$(service_dll "$name")"
    log "migrating $name"
    (cd "services/$name" && exec dotnet "$dll" migrate) >"$SERVICE_LOG_DIR/${name,,}-migrate.log" 2>&1 || {
      show_log_tail "$SERVICE_LOG_DIR/${name,,}-migrate.log"
      die "migration of $name failed"
    }
  done
}

# The three sample stores (Hetzner DE, Hetzner FI, AWS eu-central-1) as databases on the local server,
# created and seeded with synthetic data once by tools/Closely.SampleStores (`--reset-stores` drops and
# seeds them again); the services find them as ConnectionStrings:store_* (services/Stores/stores.yaml).
seed_stores() {
  local pg="Host=127.0.0.1;Port=$PG_PORT;Username=closely;Password=$CLOSELY_POSTGRES_PASSWORD" db
  local seed_log="$SERVICE_LOG_DIR/sample-stores.log"
  mkdir -p "$SERVICE_LOG_DIR"
  log "seeding the sample stores ($STORES_COMMAND)"
  CLOSELY_STORES_ADMIN="$pg;Database=postgres" \
    dotnet tools/Closely.SampleStores/bin/Release/net10.0/Closely.SampleStores.dll "$STORES_COMMAND" >"$seed_log" 2>&1 || {
    show_log_tail "$seed_log"
    die "seeding the sample stores failed"
  }
  for db in store_hetzner_fsn1_crm store_hetzner_hel1_outreach store_aws_euc1_analytics; do
    export "ConnectionStrings__$db=$pg;Database=$db"
  done
}

# Services left running by an earlier run.sh that was killed (no clean-up) are stopped first.
stop_leftover_services() {
  local entry name
  for entry in "${SERVICES[@]}"; do
    read -r name _ <<<"$entry"
    stop_recorded "$(service_pid_file "$name")" "Closely.$name.dll" "$name" 30 \
      "stopping $name left running by an earlier run"
  done
}

start_services() {
  local entry name port
  mkdir -p "$SERVICE_LOG_DIR" "$SERVICE_PID_DIR"
  for entry in "${SERVICES[@]}"; do
    read -r _ port <<<"$entry"
    require_port_free "$port" "$entry"
  done
  add_exit_hook stop_services
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    log "starting $name on http://127.0.0.1:$port"
    (cd "services/$name" && ASPNETCORE_URLS="http://127.0.0.1:$port" \
      exec dotnet "$ROOT_DIR/$(service_dll "$name")") </dev/null >"$(service_log "$name")" 2>&1 &
    echo $! >"$(service_pid_file "$name")"
  done
}

service_healthy() { [[ $(http_status "http://127.0.0.1:$1/health") == 200 ]]; }

wait_for_services() {
  local entry name port
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    wait_ready "$name" "$HEALTH_TIMEOUT" "$(read_pid "$(service_pid_file "$name")")" \
      "$(service_log "$name")" service_healthy "$port"
  done
}

stop_services() {
  local i name
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    read -r name _ <<<"${SERVICES[i]}"
    stop_recorded "$(service_pid_file "$name")" "Closely.$name.dll" "$name" 30 "stopping $name"
  done
}

print_urls() {
  local entry name port rel=${LOCAL_DIR#"$ROOT_DIR"/}
  echo
  echo "Closely Platform is running. Ctrl-C stops everything."
  echo
  for entry in "${SERVICES[@]}"; do
    read -r name port <<<"$entry"
    printf '  %-20s http://127.0.0.1:%-6s log: %s\n' "$name" "$port" "$(service_log "$name" | sed "s|^$ROOT_DIR/||")"
  done
  echo
  printf '  %-20s %s\n' \
    'DPO console' "http://127.0.0.1:5200  (development users: dpo / closely-dpo acts, viewer / closely-viewer reads)" \
    'RabbitMQ management' "http://127.0.0.1:$RABBIT_MGMT_PORT  (user closely, password: CLOSELY_RABBITMQ_PASSWORD in $rel/secrets.env)" \
    'maildev (SMTP sink)' "http://127.0.0.1:$MAILDEV_WEB_PORT  (SMTP 127.0.0.1:$SMTP_PORT)" \
    'PostgreSQL' "source $rel/secrets.env && psql \"postgresql://closely:\$CLOSELY_POSTGRES_PASSWORD@127.0.0.1:$PG_PORT/closely\"" \
    'IMAP (privacy)' "imap://127.0.0.1:$IMAP_PORT  (user privacy, password: CLOSELY_IMAP_PASSWORD in $rel/secrets.env)"
  echo
  printf '  %-20s %s\n' 'Server logs' "$rel/postgres/postgres.log, $rel/rabbitmq/log/, $rel/dovecot/log/, $rel/maildev/maildev.log"
  echo
}

# Stay in the foreground until Ctrl-C. If a service or server that is our child exits on its
# own, say which and stop everything, rather than keep running half a platform.
wait_until_stopped() {
  local entry name pid
  local status
  while true; do
    status=0
    wait -n || status=$?
    # 127: no child left to wait for (should not happen, as the services are our children).
    ((status != 127)) || die "nothing left running"
    for entry in "${SERVICES[@]}"; do
      read -r name _ <<<"$entry"
      pid=$(read_pid "$(service_pid_file "$name")")
      if ! pid_running "$pid"; then
        printf 'ERROR: %s exited unexpectedly\n' "$name" >&2
        show_log_tail "$(service_log "$name")"
        exit 1
      fi
    done
    if ! pid_running "$(read_pid "$MAILDEV_PID_FILE")" || ! pid_running "$RABBIT_LAUNCH_PID"; then
      echo "ERROR: maildev or RabbitMQ exited unexpectedly" >&2
      show_log_tail "$MAILDEV_LOG" "$RABBIT_LOG"
      exit 1
    fi
  done
}

# One step per line; each step needs only what the steps above it have set up.
main() {
  prepare_machine
  stop_leftover_services # before the servers they were using go away
  start_servers
  build
  migrate
  seed_stores
  start_services
  wait_for_services
  print_urls
  wait_until_stopped
}

main "$@"
