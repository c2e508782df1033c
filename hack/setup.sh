#!/usr/bin/env bash
# Installs what is missing, and only that: Debian packages (one apt-get update at most),
# node modules when the lockfile changed, and the build. Quick and idempotent on a re-run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# command or file -> Debian package providing it
declare -A PACKAGES=(
  [etcd]=etcd-server
  [etcdctl]=etcd-client
  [openssl]=openssl
  [curl]=curl
  [runc]=runc
  [iptables]=iptables
  [ip]=iproute2
  [/bin/busybox]=busybox-static
  [/usr/lib/cni/bridge]=containernetworking-plugins
  [docker-registry]=docker-registry
  [skopeo]=skopeo
  [htpasswd]=apache2-utils
)

missing=()
for what in "${!PACKAGES[@]}"; do
  if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
  missing+=("${PACKAGES[$what]}")
done
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}; run as root or install them"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || die "Node.js 20 or newer is required"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "Node.js 20 or newer is required (found $(node --version))"

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.skiff-lock-sum ] || [ "$(cat node_modules/.skiff-lock-sum)" != "$lock_sum" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.skiff-lock-sum
fi

log "building"
npm run --silent build
chmod +x dist/skiff/main.js
