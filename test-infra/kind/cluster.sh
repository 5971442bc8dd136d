#!/usr/bin/env bash
# The local kind cluster the tests run on, built offline when registries are out of reach.
#
#   cluster.sh up [--workers N] [--offline]   create (or reuse) the cluster, then smoke-check it
#   cluster.sh down [--workers N]             delete the cluster (the build cache stays)
#   cluster.sh stop [--workers N]             stop its node containers (up starts them again)
#   cluster.sh smoke [--workers N]            run the smoke check against the running cluster
#   cluster.sh health [--workers N]           exit 1, saying why, when the cluster cannot take work
#   cluster.sh env [--workers N]              print the cluster's name, kubeconfig and images
#
# --workers N picks the shape, and each shape is its own cluster: stateful-mysql (one node),
# stateful-mysql-3nodes (--workers 2: a control plane that takes pods only when the workers
# cannot, and two workers), with kubeconfig <cache>/kubeconfig[-3nodes].
# Settings (environment): STATEFUL_MYSQL_CACHE (build cache, default
# ~/.cache/stateful-mysql-test-infra), KIND_WORKERS (default 0), KIND_CLUSTER_NAME and
# STATEFUL_MYSQL_KUBECONFIG (another name and kubeconfig than the shape's).
. "$(dirname "$0")/lib/common.sh"
. "$KIND_DIR/lib/host.sh"
. "$KIND_DIR/lib/images.sh"
. "$KIND_DIR/lib/node.sh"
. "$KIND_DIR/lib/server-images.sh"
. "$KIND_DIR/lib/s3.sh"
. "$KIND_DIR/lib/smoke.sh"
. "$KIND_DIR/lib/stale-links.sh"
. "$KIND_DIR/lib/health.sh"
. "$KIND_DIR/lib/policy.sh"

POD_SUBNET=10.244.0.0/16
# kind's default, written down because kube-router must be told the same range.
SERVICE_SUBNET=10.96.0.0/16
OFFLINE="${KIND_OFFLINE:-auto}"

kubectl() { "$CACHE_DIR/kubernetes/$KUBERNETES_VERSION/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

ensure_kind() {
  ln -sf "$(go_binary kind "$KIND_VERSION" sigs.k8s.io/kind)" "$BIN_DIR/kind"
  ln -sf "$CACHE_DIR/kubernetes/$KUBERNETES_VERSION/kubectl" "$BIN_DIR/kubectl"
}

# Not `kind get clusters | grep -q`: under pipefail, grep leaving at the first match makes kind
# die of SIGPIPE while it prints the next cluster, and the pipe then says "no such cluster".
cluster_exists() { local names; names="$(kind get clusters 2>/dev/null)" && grep -qx "$CLUSTER_NAME" <<<"$names"; }

# The node containers, control plane first (the workers' kubelets dial its API server).
node_containers() {
  local nodes; nodes="$(kind get nodes --name "$CLUSTER_NAME" 2>/dev/null)" || return 0
  [[ -n "$nodes" ]] || return 0
  grep -- '-control-plane$' <<<"$nodes" || true
  grep -v -- '-control-plane$' <<<"$nodes" || true
}

# A stopped cluster (cluster.sh stop, or a machine restart) is started again rather than
# recreated: kind's entrypoint rewrites a node's changed address, and the kubelets
# re-register. Dockerd's own start also restarts the node containers (kind's restart
# policy), so a node that started moments ago gets the same time to come back.
# Returns 1 when it does not become healthy within 3 minutes.
start_stopped_nodes() {
  local node stopped=() running started_at started newest=0
  for node in $(node_containers); do
    read -r running started_at < <(docker inspect -f '{{.State.Running}} {{.State.StartedAt}}' "$node" 2>/dev/null) || true
    if [[ "$running" == true ]]; then
      started="$(date -d "$started_at" +%s 2>/dev/null)" || started=0
      ((started > newest)) && newest=$started
    else
      stopped+=("$node")
    fi
  done
  if ((${#stopped[@]} > 0)); then
    log "starting the stopped node containers of $CLUSTER_NAME: ${stopped[*]}"
    docker start "${stopped[@]}" >/dev/null || return 1
  elif (($(date +%s) - newest < 180)); then
    log "the node containers of $CLUSTER_NAME started $(($(date +%s) - newest))s ago: waiting for them"
  else
    return 0
  fi
  local deadline=$((SECONDS + 180))
  until [[ -z "$(cluster_health_problem)" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 3
  done
  # Nodes Ready is not yet DNS, pod networking and the policy engine: their pods restart too.
  kubectl -n kube-system wait --for=condition=Ready pods --all --timeout=120s >/dev/null || return 1
  kubectl -n local-path-storage wait --for=condition=Ready pods --all --timeout=120s >/dev/null || return 1
  log "cluster $CLUSTER_NAME started again"
}

# Uses the published node image when it is present or can be pulled; returns 1 when the
# node image must be (or was) built offline.
use_published_node_image() {
  [[ "$OFFLINE" == "yes" ]] && return 1
  if image_exists "$NODE_IMAGE"; then
    [[ "$(docker image inspect -f '{{index .Config.Labels "stateful-mysql.offline"}}' "$NODE_IMAGE")" != yes ]]
    return
  fi
  log "trying to pull $NODE_IMAGE"
  timeout 60 docker pull -q "$NODE_IMAGE" >/dev/null 2>&1
}

build_offline() {
  step "kubernetes binaries $KUBERNETES_VERSION" "$KIND_DIR/build-kubernetes.sh"
  step "debian base image" build_debian_image
  step "network base image" build_netbase_image
  step "component images" build_component_images
  step "network policy engine image (kube-router $KUBE_ROUTER_VERSION)" build_kube_router_image
  step "kind node base image" build_node_base_image
  step "kind node image" build_node_image
}

kind_config() {
  cat <<CONFIG
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: $CLUSTER_NAME
networking:
  podSubnet: $POD_SUBNET
  serviceSubnet: $SERVICE_SUBNET
  disableDefaultCNI: $1
nodes:
  - role: control-plane
    image: $NODE_IMAGE
CONFIG
  local i; for ((i = 0; i < WORKERS; i++)); do printf '  - role: worker\n    image: %s\n' "$NODE_IMAGE"; done
}

install_podnet() {
  sed -e "s#PODNET_IMAGE#$PODNET_IMAGE#" -e "s#POD_SUBNET_CIDR#$POD_SUBNET#" "$KIND_DIR/podnet/podnet.yaml" \
    | kubectl apply -f - >/dev/null
  kubectl -n kube-system rollout status ds/podnet --timeout=180s >/dev/null
  kubectl wait --for=condition=Ready nodes --all --timeout=180s >/dev/null
}

# With workers, kind keeps the control plane NoSchedule. Three pods that must sit on three
# nodes need three schedulable nodes, and two cores carry three nodes better than four: the
# control plane takes pods, but only where no worker can (PreferNoSchedule), so what a test
# kills or drains is a worker.
admit_pods_on_control_plane() {
  local cp="$CLUSTER_NAME-control-plane" taint=node-role.kubernetes.io/control-plane
  kubectl taint node "$cp" "$taint:NoSchedule-" >/dev/null \
    && kubectl taint node "$cp" "$taint:PreferNoSchedule" --overwrite >/dev/null
}

# The cluster's own services stay on the control plane, which no test takes away: a test that
# kills a worker then measures the collection, not a cluster without DNS or volume provisioning.
keep_cluster_services_on_control_plane() {
  local ns_deploy ns deploy
  local patch='{"spec":{"template":{"spec":{"nodeSelector":{"node-role.kubernetes.io/control-plane":""}}}}}'
  for ns_deploy in kube-system/coredns local-path-storage/local-path-provisioner; do
    ns="${ns_deploy%/*}" deploy="${ns_deploy#*/}"
    kubectl -n "$ns" patch deployment "$deploy" --type merge -p "$patch" >/dev/null
    kubectl -n "$ns" rollout status deployment "$deploy" --timeout=180s >/dev/null || return 1
  done
}

create_cluster() {
  local offline="$1" cfg="$CACHE_DIR/kind-config-$CLUSTER_NAME.yaml"
  kind_config "$offline" > "$cfg"
  # Called as step's condition, where set -e does not stop a function: each part says so.
  kind create cluster --config "$cfg" --kubeconfig "$KUBECONFIG_PATH" --wait 0s || return 1
  if ((WORKERS > 0)); then admit_pods_on_control_plane || return 1; fi
  if [[ "$offline" == true ]]; then { install_podnet && install_policy_engine; } || return 1; fi
  if ((WORKERS > 0)); then keep_cluster_services_on_control_plane || return 1; fi
}

cmd_up() {
  [[ $EUID -eq 0 ]] || die "run as root: it installs packages and starts dockerd"
  local t0=$SECONDS
  mkdir -p "$CACHE_DIR/tmp" "$BIN_DIR"
  step "host packages" ensure_host_packages
  step "go $GO_VERSION" ensure_go
  step "dockerd" ensure_dockerd
  step "kind $KIND_VERSION" ensure_kind
  if cluster_exists; then
    local problem
    start_stopped_nodes || true
    problem="$(cluster_health_problem)"
    if [[ -z "$problem" ]]; then
      step "server images" ensure_server_images
      ensure_s3_server_image
      ensure_policy_engine
      log "cluster $CLUSTER_NAME is up (kubeconfig: $KUBECONFIG_PATH) in $((SECONDS - t0))s"
      return 0
    fi
    record_unhealthy "$problem"
    log "cluster $CLUSTER_NAME exists but is not healthy: recreating it"
    kind delete cluster --name "$CLUSTER_NAME" --kubeconfig "$KUBECONFIG_PATH"
  fi
  local offline=false
  if ! use_published_node_image; then offline=true; build_offline; fi
  step "stale node links" release_stale_links
  step "create cluster" create_cluster "$offline"
  step "server images" ensure_server_images
  ensure_s3_server_image
  step "smoke check" smoke_check
  log "cluster $CLUSTER_NAME ready in $((SECONDS - t0))s; export KUBECONFIG=$KUBECONFIG_PATH"
}

cmd_down() {
  ensure_kind
  if cluster_exists; then kind delete cluster --name "$CLUSTER_NAME" --kubeconfig "$KUBECONFIG_PATH"; fi
  rm -f "$KUBECONFIG_PATH"
}

cmd_stop() {
  ensure_kind
  local nodes; mapfile -t nodes < <(node_containers)
  ((${#nodes[@]} == 0)) || docker stop "${nodes[@]}" >/dev/null
}

# Exit status 0 when the cluster can take work; otherwise prints why and exits 1.
cmd_health() {
  local problem
  cluster_exists || { echo "cluster $CLUSTER_NAME does not exist"; return 1; }
  problem="$(cluster_health_problem)"
  [[ -z "$problem" ]] && return 0
  echo "$problem"
  return 1
}

cmd_env() {
  printf 'CLUSTER_NAME=%s\nKUBECONFIG=%s\nCACHE_DIR=%s\nNODE_IMAGE=%s\nKUBECTL=%s\n' \
    "$CLUSTER_NAME" "$KUBECONFIG_PATH" "$CACHE_DIR" "$NODE_IMAGE" "$CACHE_DIR/kubernetes/$KUBERNETES_VERSION/kubectl"
  printf 'MARIADB_10_11_IMAGE=%s\nMARIADB_11_8_IMAGE=%s\nMYSQL_9_7_IMAGE=%s\n' \
    "$MARIADB_10_11_IMAGE" "$MARIADB_11_8_IMAGE" "$MYSQL_9_7_IMAGE"
  printf 'S3_SERVER_IMAGE=%s\n' "$S3_SERVER_IMAGE"
}

command="${1:-}"; (($#)) && shift
while (($#)); do
  case "$1" in
    --workers) (($# > 1)) || die "--workers needs a number"; set_cluster_shape "$2"; shift 2 ;;
    --offline) [[ $command == up ]] || die "--offline is for up"; OFFLINE=yes; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
case "$command" in
  up) cmd_up ;;
  down) cmd_down ;;
  stop) cmd_stop ;;
  smoke) step "smoke check" smoke_check ;;
  health) cmd_health ;;
  env) cmd_env ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
