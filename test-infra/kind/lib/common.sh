# Shared settings and helpers for the offline kind cluster build. Sourced, not run.
# shellcheck shell=bash
# The names and images set here are read by the scripts that source this file.
# shellcheck disable=SC2034
set -euo pipefail

KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../versions.env
. "$KIND_DIR/versions.env"

# Everything built lives outside the repository so CI and later runs find it warm.
CACHE_DIR="${STATEFUL_MYSQL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-mysql-test-infra}"
export GOMODCACHE="$CACHE_DIR/go/mod"
export GOCACHE="$CACHE_DIR/go/build"
export GOPATH="$CACHE_DIR/go/path"
export GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
BIN_DIR="$CACHE_DIR/bin"
export PATH="$BIN_DIR:$PATH"


# set_cluster_shape WORKERS: the cluster of that shape. Each shape is its own cluster
# (stateful-mysql with no workers, stateful-mysql-3nodes with two...), so the tests can keep
# both; KIND_CLUSTER_NAME and STATEFUL_MYSQL_KUBECONFIG name another.
set_cluster_shape() {
  WORKERS="$1"
  [[ "$WORKERS" =~ ^[0-9]+$ ]] || die "the number of workers must be a number, got '$WORKERS'"
  local suffix=""; ((WORKERS == 0)) || suffix="-$((WORKERS + 1))nodes"
  CLUSTER_NAME="${KIND_CLUSTER_NAME:-stateful-mysql$suffix}"
  KUBECONFIG_PATH="${STATEFUL_MYSQL_KUBECONFIG:-$CACHE_DIR/kubeconfig$suffix}"
}
NODE_IMAGE="kindest/node:${KUBERNETES_VERSION}"
# upstream_version DEBIAN_VERSION: 1:11.8.9+ds-4 -> 11.8.9
upstream_version() { local v="${1#*:}"; v="${v%%-*}"; printf '%s' "${v%%+*}"; }
MARIADB_10_11_IMAGE="localhost/stateful-mysql/mariadb:$(upstream_version "$MARIADB_10_11_PACKAGE_VERSION")"
MARIADB_11_8_IMAGE="localhost/stateful-mysql/mariadb:$(upstream_version "$MARIADB_11_8_PACKAGE_VERSION")"
MYSQL_9_7_IMAGE="localhost/stateful-mysql/mysql:$(upstream_version "$MYSQL_9_7_PACKAGE_VERSION")"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] FAILED: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }
set_cluster_shape "${KIND_WORKERS:-0}"

# step NAME CMD...: runs CMD, and on failure names the step that failed.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "step: $name"
  if ! "$@"; then
    die "step '$name' failed"
  fi
  log "step: $name done in $((SECONDS - t0))s"
}

# done_marker KEY: a file written only after KEY's build finished, so a half-built
# artifact is never mistaken for a finished one.
stamp_dir() { mkdir -p "$CACHE_DIR/stamps"; printf '%s' "$CACHE_DIR/stamps"; }
is_built() { [[ -f "$(stamp_dir)/$1" ]]; }
mark_built() { date -u +%FT%TZ > "$(stamp_dir)/$1"; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# go_module_dir MODULE@VERSION: downloads a module and prints its directory in the cache.
go_module_dir() {
  (cd "$CACHE_DIR" && go mod download -json "$1") | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}
