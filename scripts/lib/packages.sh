# shellcheck shell=bash
# Installs what the local servers need: Debian packages through apt, maildev through npm into
# .local/node. Only on Debian/Ubuntu as root; anywhere else it prints what to install and exits 1.

MAILDEV_VERSION=3.0.0
NODE_DIR=${NODE_DIR:-"$LOCAL_DIR/node"}
MAILDEV_MAIN="$NODE_DIR/node_modules/maildev/dist/bin/maildev.js"

is_debian_like() {
  [[ -r /etc/os-release ]] || return 1
  command -v apt-get >/dev/null && command -v dpkg-query >/dev/null || return 1
  local id id_like
  # shellcheck source=/dev/null # a system file
  id=$(. /etc/os-release && printf '%s' "${ID:-}")
  # shellcheck source=/dev/null
  id_like=$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")
  [[ $id == debian || $id == ubuntu || " $id_like " == *" debian "* ]]
}

deb_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_packages [EXTRA DEBIAN PACKAGES...]: install the server packages (plus extras) if missing.
ensure_packages() {
  local -a wanted=(postgresql rabbitmq-server dovecot-imapd curl openssl "$@") missing=()
  # Node may come from elsewhere (e.g. NodeSource, whose nodejs bundles npm): only ask apt for it
  # when there is no npm at all.
  command -v npm >/dev/null || wanted+=(nodejs npm)

  if ! is_debian_like; then
    {
      echo "ERROR: this script installs and runs its servers the Debian/Ubuntu way (apt, /usr/lib/postgresql/<ver>/bin)."
      echo "On a Debian or Ubuntu machine, as root, it installs these packages itself:"
      echo "  ${wanted[*]}"
    } >&2
    exit 1
  fi

  local pkg
  for pkg in "${wanted[@]}"; do
    deb_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if ((EUID != 0)); then
    {
      echo "ERROR: missing packages: ${missing[*]}"
      echo "Install them with:"
      echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
    } >&2
    exit 1
  fi
  log "installing missing packages: ${missing[*]}"
  apt-get update
  # Without systemd, Debian's maintainer scripts may start the packages' own default instances
  # (invoke-rc.d). That does no harm: ours use other ports, data folders and names.
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# The servers run as their own system users (PostgreSQL refuses root), which needs root here.
require_root() {
  ((EUID == 0)) && return 0
  die "run this as root (e.g. sudo $0): the local servers run as the postgres, rabbitmq and dovecot system users"
}

ensure_maildev() {
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  ((node_major >= 20)) ||
    die "maildev $MAILDEV_VERSION needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))"

  local installed=''
  if [[ -r $NODE_DIR/node_modules/maildev/package.json ]]; then
    installed=$(node -p "require('$NODE_DIR/node_modules/maildev/package.json').version" 2>/dev/null || true)
  fi
  [[ $installed == "$MAILDEV_VERSION" && -f $MAILDEV_MAIN ]] && return 0

  log "installing maildev@$MAILDEV_VERSION into ${NODE_DIR#"$ROOT_DIR"/}"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "maildev@$MAILDEV_VERSION" ||
    die "npm install maildev@$MAILDEV_VERSION failed"
  [[ -f $MAILDEV_MAIN ]] || die "maildev installed, but $MAILDEV_MAIN is missing (layout changed?)"
}
