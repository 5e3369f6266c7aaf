# shellcheck shell=bash
# maildev, the SMTP sink: SMTP on 127.0.0.1:51025, web UI and REST API on 127.0.0.1:51080.
# maildev 3 serves its REST API under /api (GET /api/email lists the received mails).
# Received mail is kept in .local/maildev/mail and emptied at every start: each run (and each
# test run) begins with an empty inbox.

SMTP_PORT=${SMTP_PORT:-51025}
MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-51080}
MAILDEV_DIR="$LOCAL_DIR/maildev"
MAILDEV_LOG="$MAILDEV_DIR/maildev.log"
MAILDEV_PID_FILE="$MAILDEV_DIR/maildev.pid"

maildev_stop_leftover() {
  stop_recorded "$MAILDEV_PID_FILE" "$MAILDEV_MAIN" maildev 10 "stopping maildev left running by an earlier run"
}

maildev_check_ports() {
  require_port_free "$SMTP_PORT" 'maildev SMTP'
  require_port_free "$MAILDEV_WEB_PORT" 'maildev web'
}

maildev_launch() {
  ensure_maildev
  rm -rf "$MAILDEV_DIR/mail"
  mkdir -p "$MAILDEV_DIR/mail"
  log "starting maildev (SMTP 127.0.0.1:$SMTP_PORT, web 127.0.0.1:$MAILDEV_WEB_PORT)"
  add_exit_hook maildev_stop
  # Run from its own folder: maildev looks for .maildevrc.json in the working directory upwards.
  # It stops with this script even when the script is killed (see spawn_as_user).
  (cd "$MAILDEV_DIR" && exec setpriv --pdeathsig TERM -- node "$MAILDEV_MAIN" \
    --smtp "$SMTP_PORT" --ip 127.0.0.1 \
    --web "$MAILDEV_WEB_PORT" --web-ip 127.0.0.1 \
    --mail-directory "$MAILDEV_DIR/mail") </dev/null >"$MAILDEV_LOG" 2>&1 &
  echo $! >"$MAILDEV_PID_FILE"
}

maildev_ready() {
  tcp_open "$SMTP_PORT" && [[ $(http_status "http://127.0.0.1:$MAILDEV_WEB_PORT/api/email") == 200 ]]
}

maildev_wait() {
  wait_ready maildev 60 "$(read_pid "$MAILDEV_PID_FILE")" "$MAILDEV_LOG" maildev_ready
}

maildev_stop() {
  stop_recorded "$MAILDEV_PID_FILE" "$MAILDEV_MAIN" maildev 10 "stopping maildev"
}
