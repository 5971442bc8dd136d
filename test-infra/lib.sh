# Shared by the test-infra entry scripts. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export STATEFUL_MYSQL_CACHE="${STATEFUL_MYSQL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-mysql-test-infra}"
VENV="$("$REPO/test-infra/python/venv.sh")"
export PATH="$VENV/bin:$PATH"
export ANSIBLE_CONFIG="$REPO/ansible.cfg"
export ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}"
# Scratch copies (collection, checkout, Galaxy build); STATEFUL_MYSQL_WORK elsewhere lets a
# second checkout run sanity or unit tests without removing this one's copies.
WORK_DIR="${STATEFUL_MYSQL_WORK:-$STATEFUL_MYSQL_CACHE/work}"

banner() { printf '\n=== %s ===\n' "$*"; }

# ShellCheck, pinned to the Debian bookworm package: lint runs it, ansible-test sanity uses it.
SHELLCHECK_PACKAGE_VERSION=0.9.0-1
need_shellcheck() {
  [[ "$(dpkg-query -W -f '${Version}' shellcheck 2>/dev/null)" == "$SHELLCHECK_PACKAGE_VERSION" ]] && return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "shellcheck=$SHELLCHECK_PACKAGE_VERSION" >/dev/null
}

# A copy of the collection at ansible_collections/stateful/mysql, as ansible-test and
# galaxy builds want it; printed path is the collection root.
collection_copy() {
  local root="$WORK_DIR/ansible_collections/stateful/mysql"
  rm -rf "$root"; mkdir -p "$root"
  (cd "$REPO" && git ls-files -co --exclude-standard \
    | grep -vE '^(collections|test-infra|molecule)/' \
    | while IFS= read -r f; do [[ -e $f ]] && printf '%s\n' "$f"; done \
    | tar -cf - -T -) | tar -C "$root" -xf -
  printf '%s' "$root"
}

# Every file of the checkout that git tracks or would track, as a clean checkout has it.
checkout_copy() {
  local dir="$WORK_DIR/checkout"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$REPO" && git ls-files -co --exclude-standard \
    | while IFS= read -r f; do [[ -e $f || -L $f ]] && printf '%s\n' "$f"; done \
    | tar -cf - -T -) | tar -C "$dir" -xf -
  printf '%s' "$dir"
}

# The local cluster's kubeconfig, creating the cluster when needed. The explicit returns
# matter: callers run it as an `if` condition, where set -e does not stop a function.
use_local_cluster() {
  "$REPO/test-infra/kind/cluster.sh" up || return 1
  eval "$("$REPO/test-infra/kind/cluster.sh" env | sed 's/^/export /')" || return 1
  export K8S_AUTH_KUBECONFIG="$KUBECONFIG"
  PATH="$(dirname "$KUBECTL"):$PATH"; export PATH
}

# Where the test scripts keep each stage's and scenario's full output (STATEFUL_MYSQL_TEST_LOGS
# elsewhere, so a second checkout's runs leave another's logs alone).
TEST_LOGS="${STATEFUL_MYSQL_TEST_LOGS:-$STATEFUL_MYSQL_CACHE/test-logs}"

# The cluster as a failed test left it (nodes and their conditions; pods, claims and recent
# events of NAMESPACE, or of all), so a CI log explains the failure after the cluster is gone.
# Each request is bounded: a broken API server must not hang the report.
cluster_snapshot() {
  [[ -n "${KUBECONFIG:-}" ]] || return 0
  local scope=(-A) k=(kubectl --request-timeout=10s)
  [[ -n "${1:-}" ]] && scope=(-n "$1")
  banner "cluster state${1:+ (namespace $1)}"
  "${k[@]}" get nodes -o wide || true
  "${k[@]}" describe nodes | sed -n '/^Conditions:/,/^Addresses:/p' || true
  "${k[@]}" get pods "${scope[@]}" -o wide || true
  "${k[@]}" get pvc "${scope[@]}" || true
  "${k[@]}" get events "${scope[@]}" --sort-by=.lastTimestamp | tail -n 30 || true
}

# delete_leftover_namespaces KUBECONFIG: a test cluster's scenario namespaces (molecule-*) that a
# killed earlier run left behind; their pods' probes would slow this run's every scenario.
delete_leftover_namespaces() {
  local kc="$1" names
  [[ -f $kc ]] || return 0
  names="$(kubectl --kubeconfig "$kc" --request-timeout=30s get namespaces -o name | grep '^namespace/molecule-' || true)"
  [[ -n $names ]] || return 0
  echo "deleting namespaces an earlier run left behind: $(sed 's|^namespace/||' <<<"$names" | tr '\n' ' ')"
  # shellcheck disable=SC2086 # one name per word
  kubectl --kubeconfig "$kc" delete --timeout=300s $names
}

# retry_if_cluster_broke LABEL CMD...: runs CMD. When CMD fails and the cluster cannot take
# work afterwards, the failure says nothing about the collection: the cluster is recreated and
# CMD runs once more. The first attempt's output stays in the log; the retry is recorded in
# $TEST_LOGS/retries.log, which `make test` prints with its summary. A failure on a healthy
# cluster is never retried.
retry_if_cluster_broke() {
  local label="$1" problem; shift
  "$@" && return 0
  problem="$("$REPO/test-infra/kind/cluster.sh" health)" && return 1
  mkdir -p "$TEST_LOGS"
  echo "$label failed while the cluster was unhealthy ($problem); recreated the cluster and ran it again" \
    | tee -a "$TEST_LOGS/retries.log"
  use_local_cluster || return 1
  "$@"
}
