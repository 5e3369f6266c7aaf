# shellcheck shell=bash
# Local servers for run.sh and test.sh: PostgreSQL, RabbitMQ, Dovecot IMAP and maildev, each our
# own instance on fixed loopback ports with its data under .local/ (git-ignored).
#
#   source scripts/servers.sh
#   prepare_machine [extra Debian packages...]   # install what is missing, create secrets
#   start_servers                                # start, wait until ready, export the settings
#
# Every server is stopped when the calling script exits (normally, on error, or on Ctrl-C).

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL_DIR="$ROOT_DIR/.local"
SESSION_PID_FILE="$LOCAL_DIR/session.pid"

# shellcheck source=scripts/lib/common.sh
source "$ROOT_DIR/scripts/lib/common.sh"
# shellcheck source=scripts/lib/packages.sh
source "$ROOT_DIR/scripts/lib/packages.sh"
# shellcheck source=scripts/lib/service-accounts.sh
source "$ROOT_DIR/scripts/lib/service-accounts.sh"
# shellcheck source=scripts/lib/secrets.sh
source "$ROOT_DIR/scripts/lib/secrets.sh"
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT_DIR/scripts/lib/postgres.sh"
# shellcheck source=scripts/lib/rabbitmq.sh
source "$ROOT_DIR/scripts/lib/rabbitmq.sh"
# shellcheck source=scripts/lib/dovecot.sh
source "$ROOT_DIR/scripts/lib/dovecot.sh"
# shellcheck source=scripts/lib/maildev.sh
source "$ROOT_DIR/scripts/lib/maildev.sh"

# Two runs in one checkout would stop each other's servers (same pid files and ports).
claim_session() {
  local other
  other=$(read_pid "$SESSION_PID_FILE")
  if [[ -n $other && $other != "$$" ]] && pid_running "$other" &&
    [[ $(cat "/proc/$other/comm" 2>/dev/null) == bash ]]; then
    die "another ./run.sh or ./test.sh (pid $other) is using this checkout's servers; stop it first"
  fi
  echo $$ >"$SESSION_PID_FILE"
  add_exit_hook release_session
}

release_session() {
  [[ $(read_pid "$SESSION_PID_FILE") == "$$" ]] && rm -f "$SESSION_PID_FILE"
  return 0
}

# prepare_machine [EXTRA DEBIAN PACKAGES...]
# shellcheck disable=SC2120 # the extra packages are optional
prepare_machine() {
  ensure_packages "$@"
  require_root
  mkdir -p "$LOCAL_DIR"
  # Search-only for others: the server users must pass through, but need not list it.
  chmod 711 "$LOCAL_DIR"
  install_exit_traps
  claim_session
  load_or_create_secrets
}

SERVERS=(postgres rabbitmq dovecot maildev)

start_servers() {
  local started=$SECONDS server
  rabbitmq_prepare
  dovecot_prepare
  postgres_init
  # Servers left running by an earlier run that was killed (no clean-up) are ours: stop them.
  for server in "${SERVERS[@]}"; do "${server}_stop_leftover"; done
  # Check every port before starting anything, so a conflict fails fast and leaves nothing behind.
  for server in "${SERVERS[@]}"; do "${server}_check_ports"; done

  # RabbitMQ is the slow one (about 10 s): start it first and set up the others meanwhile.
  rabbitmq_launch
  maildev_launch
  dovecot_launch
  postgres_start
  postgres_provision
  dovecot_wait
  maildev_wait
  rabbitmq_wait
  rabbitmq_provision
  export_server_env
  log "servers ready in $((SECONDS - started))s"
}

# The settings the services and the test fixtures read (`__` is .NET's configuration separator).
export_server_env() {
  local pg_creds="Username=closely;Password=$CLOSELY_POSTGRES_PASSWORD"
  local amqp="amqp://closely:$CLOSELY_RABBITMQ_PASSWORD@127.0.0.1:$RABBIT_AMQP_PORT/"

  export ConnectionStrings__closely="Host=127.0.0.1;Port=$PG_PORT;Database=closely;$pg_creds"
  export ConnectionStrings__messaging="$amqp"
  export Messaging__ManagementUrl="http://127.0.0.1:$RABBIT_MGMT_PORT"
  export Smtp__Host=127.0.0.1 Smtp__Port=$SMTP_PORT
  export Imap__Host=127.0.0.1 Imap__Port=$IMAP_PORT Imap__Username=privacy
  export Imap__Password="$CLOSELY_IMAP_PASSWORD"
  export MailDev__Url="http://127.0.0.1:$MAILDEV_WEB_PORT"
  export Privacy__EncryptionKey="$PRIVACY_ENCRYPTION_KEY"
  export Privacy__BlindIndexKey="$PRIVACY_BLIND_INDEX_KEY"
  export Identity__LinkSigningKey="$IDENTITY_LINK_SIGNING_KEY"

  # Test fixtures: a role that may CREATE DATABASE, connected to the maintenance database.
  export CLOSELY_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Database=postgres;$pg_creds"
  export CLOSELY_TEST_RABBITMQ="$amqp"
  export CLOSELY_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$RABBIT_MGMT_PORT"
  export CLOSELY_TEST_SMTP="127.0.0.1:$SMTP_PORT"
  export CLOSELY_TEST_MAILDEV="http://127.0.0.1:$MAILDEV_WEB_PORT"
  export CLOSELY_TEST_IMAP="imap://privacy:$CLOSELY_IMAP_PASSWORD@127.0.0.1:$IMAP_PORT"
}
