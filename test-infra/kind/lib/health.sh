# Whether the cluster can take work, and what its nodes say when it cannot. Sourced by
# cluster.sh, which defines kubectl() for the cluster's kubeconfig.
# shellcheck shell=bash

HEALTH_LOG="$CACHE_DIR/cluster-health.log"

# Prints why the cluster cannot take work; prints nothing when it can.
cluster_health_problem() {
  [[ -f "$KUBECONFIG_PATH" ]] || { echo "no kubeconfig at $KUBECONFIG_PATH"; return; }
  local out
  if ! out="$(kubectl --request-timeout=10s get --raw '/readyz?verbose' 2>&1)"; then
    # The failed checks when the server answered, otherwise why it did not.
    echo "API server not ready: $({ grep '\[-\]' <<<"$out" || tail -n 3 <<<"$out"; } | tr '\n' ' ')"
    return
  fi
  if ! out="$(kubectl --request-timeout=10s get nodes --no-headers 2>&1)"; then
    echo "cannot list nodes: $out"; return
  fi
  if [[ "$(grep -c . <<<"$out")" -ne $((WORKERS + 1)) ]]; then
    echo "expected $((WORKERS + 1)) node(s), found: $(tr '\n' ';' <<<"$out")"; return
  fi
  grep -v ' Ready ' <<<"$out" | sed 's/^/node not Ready: /' || true
}

# What each node container's runtime and kubelet say, for the log of an unhealthy cluster.
node_report() {
  local node
  for node in $(kind get nodes --name "$CLUSTER_NAME" 2>/dev/null); do
    echo "--- $node: $(docker inspect -f '{{.State.Status}} since {{.State.StartedAt}}' "$node" 2>&1)"
    [[ "$(docker inspect -f '{{.State.Running}}' "$node" 2>/dev/null)" == true ]] || continue
    timeout 20 docker exec "$node" systemctl is-active containerd kubelet 2>&1 | paste -sd' ' || true
    timeout 20 docker exec "$node" crictl ps -a 2>&1 | head -n 25 || true
    timeout 20 docker exec "$node" journalctl -u kubelet -n 25 --no-pager 2>&1 | cut -c1-300 || true
  done
}

# Records an unhealthy cluster's problem and its nodes' report in HEALTH_LOG and on stderr.
record_unhealthy() {
  { echo "[$(date -u +%FT%TZ)] cluster $CLUSTER_NAME unhealthy: $1"; node_report; } | tee -a "$HEALTH_LOG" >&2
}
