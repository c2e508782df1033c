# Shared by the hack/ scripts: paths and small helpers.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SKIFF_HOME=${SKIFF_HOME:-$HOME/.skiff}
export SKIFF_HOME
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
