# shellcheck shell=bash
# Our own RabbitMQ node `closely@localhost`: AMQP on 127.0.0.1:55672, management UI/API on
# 127.0.0.1:55673, Erlang distribution on 127.0.0.1:55674. Everything it writes (mnesia, logs,
# config, Erlang cookie) is under .local/rabbitmq, which belongs to the `rabbitmq` user.
#
# We call /usr/lib/rabbitmq/bin/* directly instead of Debian's /usr/sbin wrappers: those `su` to
# rabbitmq, reset HOME to /var/lib/rabbitmq (the system node's cookie) and redirect the log to
# /var/log/rabbitmq. Running them via as_user with our own environment keeps the node separate
# from any system RabbitMQ.

RABBIT_NODE=${RABBIT_NODE:-closely@localhost}
RABBIT_AMQP_PORT=${RABBIT_AMQP_PORT:-55672}
RABBIT_MGMT_PORT=${RABBIT_MGMT_PORT:-55673}
# Must be set: the default is AMQP port + 20000, which is past 65535 for 55672.
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-55674}
RABBIT_DIR="$LOCAL_DIR/rabbitmq"
RABBIT_STDOUT_LOG="$RABBIT_DIR/log/stdout.log"
RABBIT_LOG="$RABBIT_DIR/log/$RABBIT_NODE.log"
RABBIT_PID_FILE="$RABBIT_DIR/rabbitmq.pid"
RABBIT_LAUNCH_PID=''

# The environment that points the server and its CLI tools at our node and folders.
RABBIT_ENV=(
  HOME="$RABBIT_DIR/home" # the CLI tools and the server read $HOME/.erlang.cookie
  RABBITMQ_NODENAME="$RABBIT_NODE"
  RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
  RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf" # instead of /etc/rabbitmq/rabbitmq-env.conf
  RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
  RABBITMQ_PID_FILE="$RABBIT_PID_FILE"
  RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
  ERL_EPMD_ADDRESS=127.0.0.1 # if epmd is not running yet, the node starts it on loopback only
  ERL_CRASH_DUMP="$RABBIT_DIR/log/erl_crash.dump"
)

rabbitmqctl_() { as_user rabbitmq "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" "$@"; }

rabbitmq_prepare() {
  mkdir -p "$RABBIT_DIR"/{home,mnesia,log}
  local cookie="$RABBIT_DIR/home/.erlang.cookie"
  if [[ ! -s $cookie ]]; then
    (umask 077 && random_hex 20 >"$cookie")
  fi
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
  # Rewritten on every start so it follows .local/secrets.env. default_user only takes effect
  # when the node's database is first created; rabbitmq_provision reconciles it afterwards.
  (umask 027 && cat >"$RABBIT_DIR/rabbitmq.conf" <<EOF
# Written by scripts/lib/rabbitmq.sh on every start; edits are overwritten.
listeners.tcp.default = 127.0.0.1:$RABBIT_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_MGMT_PORT
distribution.listener.interface = 127.0.0.1
default_vhost = /
default_user = closely
default_pass = $CLOSELY_RABBITMQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
# Only loopback listeners exist anyway; this lets 'closely' log in without more checks.
loopback_users = none
log.file.level = info
log.console = false
EOF
  )
  chown -R rabbitmq:rabbitmq "$RABBIT_DIR"
  chmod 750 "$RABBIT_DIR"
  chmod 400 "$cookie"
  ensure_traversable rabbitmq "$RABBIT_DIR"
}

rabbitmq_stop_leftover() {
  stop_recorded "$RABBIT_PID_FILE" "$RABBIT_DIR" rabbitmq 60 "stopping RabbitMQ left running by an earlier run"
}

rabbitmq_check_ports() {
  require_port_free "$RABBIT_AMQP_PORT" 'RabbitMQ AMQP'
  require_port_free "$RABBIT_MGMT_PORT" 'RabbitMQ management'
  require_port_free "$RABBIT_DIST_PORT" 'RabbitMQ Erlang distribution'
}

# Starts the node in the background; rabbitmq_wait waits for it (it boots in about 10 s).
rabbitmq_launch() {
  log "starting RabbitMQ $RABBIT_NODE on 127.0.0.1:$RABBIT_AMQP_PORT (management :$RABBIT_MGMT_PORT)"
  add_exit_hook rabbitmq_stop
  spawn_as_user rabbitmq "$RABBIT_STDOUT_LOG" "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server
  RABBIT_LAUNCH_PID=$SPAWNED_PID
}

rabbitmq_ready() {
  tcp_open "$RABBIT_AMQP_PORT" || return 1
  # Any HTTP answer (401 without credentials) means the management plugin is up.
  [[ $(http_status "http://127.0.0.1:$RABBIT_MGMT_PORT/api/overview") != 000 ]]
}

rabbitmq_wait() {
  wait_ready RabbitMQ 120 "$RABBIT_LAUNCH_PID" "$RABBIT_STDOUT_LOG $RABBIT_LOG" rabbitmq_ready
}

# User `closely` (administrator, all permissions on /) with the password from secrets.env, then the
# services' own users (scripts/lib/service-accounts.sh, ADR 40). On a
# fresh node default_user already did this; the HTTP check keeps later starts fast, and the CLI
# repairs the user when the password changed or the node was created differently.
rabbitmq_provision() {
  rabbitmq_provision_admin
  rabbitmq_provision_services
}

rabbitmq_provision_admin() {
  local auth=(-u "closely:$CLOSELY_RABBITMQ_PASSWORD")
  if [[ $(http_status "http://127.0.0.1:$RABBIT_MGMT_PORT/api/whoami" "${auth[@]}") == 200 ]]; then
    return 0
  fi
  log "setting up the RabbitMQ user closely"
  (
    rabbitmqctl_ add_user closely "$CLOSELY_RABBITMQ_PASSWORD" ||
      rabbitmqctl_ change_password closely "$CLOSELY_RABBITMQ_PASSWORD"
    rabbitmqctl_ set_user_tags closely administrator &&
      rabbitmqctl_ set_permissions -p / closely '.*' '.*' '.*'
  ) >"$RABBIT_DIR/log/provision.log" 2>&1 || {
    show_log_tail "$RABBIT_DIR/log/provision.log"
    die "could not set up the RabbitMQ user closely"
  }
  [[ $(http_status "http://127.0.0.1:$RABBIT_MGMT_PORT/api/whoami" "${auth[@]}") == 200 ]] ||
    die "RabbitMQ user closely still cannot log in to the management API"
}

rabbitmq_stop() {
  local pid
  pid=$(read_pid "$RABBIT_PID_FILE")
  if [[ -n $pid ]] && pid_matches "$pid" "$RABBIT_DIR"; then
    log "stopping RabbitMQ"
    stop_pid "$pid" rabbitmq 60
  elif [[ -n $RABBIT_LAUNCH_PID ]] && pid_running "$RABBIT_LAUNCH_PID"; then
    # No pid file yet: the node is still booting. It is the child of the launcher (Debian's sh
    # script around erl); the Erlang VM ignores TERM early in its boot, hence the short timeout.
    log "stopping RabbitMQ (still booting)"
    for pid in $(pgrep -P "$RABBIT_LAUNCH_PID" || true); do
      stop_pid "$pid" 'rabbitmq node' 40
    done
  fi
  # The launcher exits by itself once the node is gone; this reaps it.
  [[ -z $RABBIT_LAUNCH_PID ]] || stop_pid "$RABBIT_LAUNCH_PID" 'rabbitmq-server launcher' 10
  RABBIT_LAUNCH_PID=''
  # epmd (Erlang's port mapper) outlives the node. Stop a rabbitmq-owned epmd once no node is
  # registered with it any more: a system RabbitMQ would still be registered, and any Erlang
  # node started later starts epmd again by itself.
  if ! epmd -names 2>/dev/null | grep -q '^name '; then
    local epmd_pid
    for epmd_pid in $(pgrep -x -u rabbitmq epmd); do
      stop_pid "$epmd_pid" epmd 10
    done
  fi
}
