# Shared by the test-infra entry scripts. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export STATEFUL_MYSQL_CACHE="${STATEFUL_MYSQL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-mysql-test-infra}"
VENV="$("$REPO/test-infra/python/venv.sh")"
export PATH="$VENV/bin:$PATH"
export ANSIBLE_CONFIG="$REPO/ansible.cfg"
export ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}"

banner() { printf '\n=== %s ===\n' "$*"; }

# A copy of the collection at ansible_collections/stateful/mysql, as ansible-test and
# galaxy builds want it; printed path is the collection root.
collection_copy() {
  local root="$STATEFUL_MYSQL_CACHE/work/ansible_collections/stateful/mysql"
  rm -rf "$root"; mkdir -p "$root"
  (cd "$REPO" && git ls-files -co --exclude-standard \
    | grep -vE '^(collections|test-infra|molecule)/' \
    | while IFS= read -r f; do [[ -e $f ]] && printf '%s\n' "$f"; done \
    | tar -cf - -T -) | tar -C "$root" -xf -
  printf '%s' "$root"
}

# Every file of the checkout that git tracks or would track, as a clean checkout has it.
checkout_copy() {
  local dir="$STATEFUL_MYSQL_CACHE/work/checkout"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$REPO" && git ls-files -co --exclude-standard \
    | while IFS= read -r f; do [[ -e $f || -L $f ]] && printf '%s\n' "$f"; done \
    | tar -cf - -T -) | tar -C "$dir" -xf -
  printf '%s' "$dir"
}

# The local cluster's kubeconfig, creating the cluster when needed.
use_local_cluster() {
  "$REPO/test-infra/kind/cluster.sh" up
  eval "$("$REPO/test-infra/kind/cluster.sh" env | sed 's/^/export /')"
  export K8S_AUTH_KUBECONFIG="$KUBECONFIG"
  export PATH="$(dirname "$KUBECTL"):$PATH"
}
