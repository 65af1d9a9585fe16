#!/usr/bin/env bash
# Installs the Nexus Edge appliance as a systemd service on Debian / Raspberry Pi OS; safe to re-run.
set -euo pipefail

APP=/opt/nexus-edge
STATE=/var/lib/nexus-edge
UNIT=/etc/systemd/system/nexus-edge.service
SERVICE_USER=nexus
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRY_RUN=0
PROFILE=auto

usage() {
  cat <<EOF
Usage: sudo $0 [--profile NAME] [--dry-run] [--help]

Installs Nexus Edge from this checkout ($SRC):
  - checks Node.js >= 20.19 (as package.json's engines field)
  - creates the '$SERVICE_USER' system user
  - copies the app to $APP (keeping $APP/models, where pulled models live),
    installs its dependencies, builds it, and drops the dev dependencies
  - installs the systemd unit $UNIT and the state directory $STATE
  - creates the admin API key with 'nexusctl token' (first install only)
  - enables and (re)starts the service, then prints the LAN URL

Options:
  --profile NAME  device profile: pi4-4gb, pi5-8gb, desktop, or auto (default:
                  detected from /proc/device-tree/model)
  --dry-run       print what would be done; change nothing (root not needed)
  --help          show this help
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }

# Runs a command, or prints it under --dry-run.
run() {
  if [[ $DRY_RUN == 1 ]]; then printf '[dry-run]'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}

# Runs a shell pipeline given as one string, or prints it under --dry-run.
run_sh() {
  if [[ $DRY_RUN == 1 ]]; then printf '[dry-run] %s\n' "$1"; else bash -c "$1"; fi
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    --profile) [[ $# -ge 2 ]] || die "--profile needs a name"; PROFILE=$2; shift ;;
    --profile=*) PROFILE=${1#--profile=} ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [[ $PROFILE == auto ]]; then
  model=$(tr -d '\0' 2>/dev/null </proc/device-tree/model || true)
  case $model in
    *"Raspberry Pi 5"*) PROFILE=pi5-8gb ;;
    *"Raspberry Pi 4"*) PROFILE=pi4-4gb ;;
    *) PROFILE=desktop ;;
  esac
fi
case $PROFILE in
  pi4-4gb) MEMORY_MAX=2G MEMORY_HIGH=1792M ;;
  pi5-8gb) MEMORY_MAX=4G MEMORY_HIGH=3584M ;;
  desktop) MEMORY_MAX=10G MEMORY_HIGH=9G ;;
  *) die "unknown profile '$PROFILE' (expected pi4-4gb, pi5-8gb, desktop or auto)" ;;
esac

[[ $DRY_RUN == 1 || $EUID -eq 0 ]] || die "run as root (sudo $0), or try --dry-run"
[[ -f $SRC/package.json && -f $SRC/edge-config/nexus-edge.service ]] || die "$SRC is not a Nexus Edge checkout"

NODE=$(command -v node || true)
[[ -n $NODE ]] || die "Node.js not found; install Node.js 20 (e.g. from https://deb.nodesource.com) and re-run"
node_version=$("$NODE" --version)
IFS=. read -r major minor _ <<<"${node_version#v}"
if ((major < 20 || (major == 20 && minor < 19))); then
  die "Node.js $node_version is too old; Nexus Edge needs >= 20.19"
fi
NODE=$(readlink -f "$NODE")
case $NODE in /usr/* | /opt/*) ;; *) echo "warning: $NODE is outside /usr and /opt; the unit's ProtectHome may hide it" >&2 ;; esac
echo "Installing Nexus Edge (profile $PROFILE, Node $node_version at $NODE)"

if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
  run useradd --system --user-group --home-dir "$STATE" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi

# The code is replaced on every run; models/ is kept (updated in place) so pulled models survive.
run install -d -m 0755 "$APP"
run find "$APP" -mindepth 1 -maxdepth 1 ! -name models -exec rm -rf {} +
run_sh "tar -C '$SRC' --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.nexus --exclude=./tests -cf - . | tar -C '$APP' --no-same-owner -xf -"

# The build needs TypeScript (a dev dependency), so: install all, build, then drop dev deps.
# --ignore-scripts: a dev dependency's install script (onnxruntime-node) downloads from outside the
# npm registry and fails offline; nothing the service runs needs an install script.
run_sh "cd '$APP' && npm ci --ignore-scripts --no-audit --no-fund && npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund"
run chown -R root:root "$APP"
run chown -R "$SERVICE_USER:$SERVICE_USER" "$APP/models"

run install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$STATE"
# An appliance serves the LAN (with API keys); the desktop profile alone would bind 127.0.0.1.
if [[ ! -e $STATE/config.json ]]; then
  run_sh "echo '{ \"host\": \"0.0.0.0\" }' >'$STATE/config.json' && chown $SERVICE_USER:$SERVICE_USER '$STATE/config.json' && chmod 0640 '$STATE/config.json'"
fi
run_sh "sed -e 's#^ExecStart=/usr/bin/node #ExecStart=$NODE #' -e 's#--profile pi4-4gb#--profile $PROFILE#' -e 's#^MemoryMax=.*#MemoryMax=$MEMORY_MAX#' -e 's#^MemoryHigh=.*#MemoryHigh=$MEMORY_HIGH#' '$SRC/edge-config/nexus-edge.service' >'$UNIT' && chmod 0644 '$UNIT'"
run systemctl daemon-reload

NEXUSCTL=(runuser -u "$SERVICE_USER" -- env "NEXUS_DATA_DIR=$STATE" "$NODE" "$APP/dist/runtime/node/cli/nexusctl.js")
if [[ -e $STATE/keys.json || -e $STATE/.admin-key-created ]]; then
  echo "An admin key exists already; create more with: ${NEXUSCTL[*]} token"
else
  echo "Creating the admin API key (shown once; keep it):"
  run "${NEXUSCTL[@]}" token
  run touch "$STATE/.admin-key-created"
fi

run systemctl enable nexus-edge.service
run systemctl restart nexus-edge.service

[[ $DRY_RUN == 1 ]] && outcome="would be installed" || outcome="is installed"
address=$(hostname -I 2>/dev/null | awk '{print $1}' || true)
cat <<EOF

Nexus Edge $outcome (profile $PROFILE).
  LAN API:    http://${address:-<this-host>}:8080/   (chat needs an API key)
  Admin API:  127.0.0.1:8081 on this machine; from elsewhere: ssh -L 8081:localhost:8081 $(hostname 2>/dev/null || echo pi)

Next steps:
  - status and logs:  systemctl status nexus-edge; journalctl -u nexus-edge -f
  - HTTPS for the PWA: ${NEXUSCTL[*]} tls init   (then restart the service)
  - more keys:         ${NEXUSCTL[*]} token
  - settings:          $STATE/config.json (see $APP/edge-config/README.md), then: systemctl reload nexus-edge
EOF
