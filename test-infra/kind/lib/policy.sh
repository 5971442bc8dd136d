# The NetworkPolicy engine of the offline cluster: kube-router's firewall controller as a
# DaemonSet (kube-router/kube-router.yaml). Sourced by cluster.sh, after images.sh and smoke.sh.
# shellcheck shell=bash

install_policy_engine() {
  sed -e "s#KUBE_ROUTER_IMAGE#$KUBE_ROUTER_IMAGE#" -e "s#SERVICE_SUBNET_CIDR#$SERVICE_SUBNET#" \
    "$KIND_DIR/kube-router/kube-router.yaml" | kubectl apply -f - >/dev/null
  kubectl -n kube-system rollout status ds/kube-router --timeout=180s >/dev/null
}

# A cluster made before the engine existed gets it, once, and must then pass the policy
# probe; a cluster that has it costs one API read here. Clusters on the published node
# image have kindnetd, which enforces policies itself.
ensure_policy_engine() {
  kubectl -n kube-system get ds podnet >/dev/null 2>&1 || return 0
  local have
  have="$(kubectl -n kube-system get ds kube-router -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null)" || true
  [[ "$have" == "$KUBE_ROUTER_IMAGE" ]] && return 0
  log "cluster $CLUSTER_NAME has no NetworkPolicy engine yet: installing kube-router $KUBE_ROUTER_VERSION"
  step "network policy engine image (kube-router $KUBE_ROUTER_VERSION)" build_kube_router_image
  load_image "$KUBE_ROUTER_IMAGE"
  step "network policy engine" install_policy_engine
  smoke_policy_only
}
