#!/usr/bin/env bash
# Runs one local server in the foreground, for the Aspire AppHost's executable resources:
#
#   scripts/local-server.sh postgres|rabbitmq|dovecot|maildev
#
# It sets the server up and starts it the way run.sh and test.sh do (scripts/lib/*.sh: each server as
# its own system user, provisioned with the `closely` user and password), then follows the server's
# log on stdout (the dashboard's console log) until the server exits or this script gets TERM or INT,
# when it stops the server. Each server is this script's child and stops with it even when the script
# is killed outright (DCP kills what has not stopped within a few seconds). The AppHost passes, in the environment:
#   CLOSELY_LOCAL_DIR                   the folder for the server's data (another than run.sh's .local)
#   PG_PORT | RABBIT_AMQP_PORT, RABBIT_MGMT_PORT, RABBIT_DIST_PORT | IMAP_PORT | SMTP_PORT, MAILDEV_WEB_PORT
#   CLOSELY_POSTGRES_PASSWORD | CLOSELY_RABBITMQ_PASSWORD | CLOSELY_IMAP_PASSWORD
#   for postgres and rabbitmq each service's own password, CLOSELY_POSTGRES_PASSWORD_<ACCOUNT> |
#   CLOSELY_RABBITMQ_PASSWORD_<ACCOUNT> (scripts/lib/service-accounts.sh)
# Needs root, like run.sh; the packages are installed by run.sh (scripts/lib/packages.sh).
set -euo pipefail

SERVER=${1:-}
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL_DIR=${CLOSELY_LOCAL_DIR:?CLOSELY_LOCAL_DIR (the data folder) is not set}
# maildev is installed once for the checkout, whichever data folder runs it.
NODE_DIR="$ROOT_DIR/.local/node"
# An Erlang node name is unique per machine: derive it from the data folder, which is ours alone.
RABBIT_NODE="closely-$(printf '%s' "$LOCAL_DIR" | sha256sum | head -c 10)@localhost"

# shellcheck source=scripts/lib/common.sh
source "$ROOT_DIR/scripts/lib/common.sh"
# shellcheck source=scripts/lib/packages.sh
source "$ROOT_DIR/scripts/lib/packages.sh"
# shellcheck source=scripts/lib/service-accounts.sh
source "$ROOT_DIR/scripts/lib/service-accounts.sh"
case $SERVER in
  postgres | rabbitmq | dovecot | maildev)
    # shellcheck source=/dev/null # one of scripts/lib/{postgres,rabbitmq,dovecot,maildev}.sh
    source "$ROOT_DIR/scripts/lib/$SERVER.sh"
    ;;
  *) die "usage: $0 postgres|rabbitmq|dovecot|maildev" ;;
esac

require_root
mkdir -p "$LOCAL_DIR"
chmod 711 "$LOCAL_DIR"
install_exit_traps

# follow LOG PID: print LOG as it grows until PID exits; then this script fails, so the resource
# shows as exited. `wait` returns at once when TERM or INT arrives, and the exit hooks stop the server.
FOLLOW_PID=''
follow() {
  local logfile=$1 pid=$2
  touch "$logfile"
  tail -n +1 -F --pid="$pid" "$logfile" 2>/dev/null &
  FOLLOW_PID=$!
  add_exit_hook stop_follow
  wait "$FOLLOW_PID" || true
  die "$SERVER (pid $pid) exited"
}
stop_follow() { stop_pid "$FOLLOW_PID" tail 5; }

case $SERVER in
  postgres)
    postgres_init
    postgres_stop_leftover
    postgres_check_ports
    postgres_spawn
    postgres_provision
    follow "$PG_LOG" "$PG_SPAWNED_PID"
    ;;
  rabbitmq)
    rabbitmq_prepare
    rabbitmq_stop_leftover
    rabbitmq_check_ports
    rabbitmq_launch
    rabbitmq_wait
    rabbitmq_provision
    follow "$RABBIT_LOG" "$RABBIT_LAUNCH_PID"
    ;;
  dovecot)
    dovecot_prepare
    dovecot_stop_leftover
    dovecot_check_ports
    dovecot_spawn
    dovecot_wait
    follow "$DOVECOT_LOG" "$DOVECOT_SPAWNED_PID"
    ;;
  maildev)
    maildev_stop_leftover
    maildev_check_ports
    maildev_launch
    maildev_wait
    follow "$MAILDEV_LOG" "$(read_pid "$MAILDEV_PID_FILE")"
    ;;
esac
