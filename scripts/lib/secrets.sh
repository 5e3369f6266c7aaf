# shellcheck shell=bash
# Generated secrets for the local servers and the services, kept in .local/secrets.env (mode 600).
# They are created on the first run and reused afterwards, because the data folders under .local
# keep the passwords they were set up with. Passwords are hex so they need no escaping in URIs.

SECRETS_FILE="$LOCAL_DIR/secrets.env"

# name, generator and the generator's argument (if any) of every secret; a file from an older version
# gets the missing ones added.
SECRET_SPECS=(
  "CLOSELY_POSTGRES_PASSWORD random_hex 16"
  "CLOSELY_RABBITMQ_PASSWORD random_hex 16"
  "CLOSELY_IMAP_PASSWORD random_hex 16"
  "PRIVACY_ENCRYPTION_KEY random_base64 32"
  "PRIVACY_BLIND_INDEX_KEY random_base64 32"
  "IDENTITY_LINK_SIGNING_KEY random_base64 32"
  "AUDIT_CHAIN_KEY random_base64 32"
  "AUDIT_ANCHOR_SIGNING_KEY ecdsa_p256_key"
)
# Each service's own PostgreSQL and RabbitMQ password (scripts/lib/service-accounts.sh, ADR 40).
for account in "${SERVICE_ACCOUNTS[@]}"; do
  SECRET_SPECS+=("$(service_password_var POSTGRES "$account") random_hex 16" "$(service_password_var RABBITMQ "$account") random_hex 16")
done
unset account

load_or_create_secrets() {
  local spec name generator bytes value
  if [[ ! -f $SECRETS_FILE ]]; then
    log "generating secrets in ${SECRETS_FILE#"$ROOT_DIR"/}"
    (umask 077 && printf '# Local secrets for run.sh/test.sh, generated on first run. Keep private.\n' >"$SECRETS_FILE")
  fi
  chmod 600 "$SECRETS_FILE"
  for spec in "${SECRET_SPECS[@]}"; do
    read -r name generator bytes <<<"$spec"
    if ! grep -q "^$name=" "$SECRETS_FILE"; then
      value=$("$generator" ${bytes:+"$bytes"}) || die "could not generate $name with $generator"
      printf "%s='%s'\n" "$name" "$value" >>"$SECRETS_FILE"
    fi
  done
  # shellcheck source=/dev/null # generated file
  source "$SECRETS_FILE"
  for spec in "${SECRET_SPECS[@]}"; do
    read -r name _ <<<"$spec"
    [[ -n ${!name:-} ]] || die "$SECRETS_FILE has an empty $name; delete the line to regenerate it"
  done
}
