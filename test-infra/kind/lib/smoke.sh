# Smoke check of a freshly created cluster: each check names itself when it fails.
# Sourced by cluster.sh, which defines kubectl() for the cluster's kubeconfig.
# shellcheck shell=bash

SMOKE_NS=smoke-check

# The utility pods run the MariaDB 10.11 image: it has bash, getent and socat.
smoke_pod() { # NAME COMMAND [EXTRA_SPEC_YAML] [IMAGE]
  kubectl -n "$SMOKE_NS" apply -f - >/dev/null <<POD
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: $1}}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: ${4:-$MARIADB_10_11_IMAGE}
      imagePullPolicy: Never
      command: [bash, -c, '$2']
${3:-}
POD
}

smoke_wait_ready() { kubectl -n "$SMOKE_NS" wait --for=condition=Ready "pod/$1" --timeout=120s >/dev/null; }
smoke_exec() { kubectl -n "$SMOKE_NS" exec "$1" -- bash -c "$2"; }

smoke_nodes_ready() { kubectl wait --for=condition=Ready nodes --all --timeout=180s >/dev/null; }
smoke_coredns_ready() {
  kubectl -n kube-system wait --for=condition=Ready pod -l k8s-app=kube-dns --timeout=180s >/dev/null
}

smoke_dns() {
  kubectl -n "$SMOKE_NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: peers}
spec:
  clusterIP: None
  selector: {app: dns-target}
  ports: [{port: 9, name: discard}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: dns-target}
spec:
  serviceName: peers
  replicas: 1
  selector: {matchLabels: {app: dns-target}}
  template:
    metadata: {labels: {app: dns-target}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: $MARIADB_10_11_IMAGE
          imagePullPolicy: Never
          command: [sleep, infinity]
YAML
  kubectl -n "$SMOKE_NS" rollout status sts/dns-target --timeout=120s >/dev/null
  smoke_exec dns-target-0 'getent hosts kubernetes.default.svc.cluster.local' \
    && smoke_exec dns-target-0 "getent hosts dns-target-0.peers.$SMOKE_NS.svc.cluster.local"
}

smoke_pvc() {
  kubectl -n "$SMOKE_NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 16Mi}}
YAML
  local volume='  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]'
  local spec="      volumeMounts: [{name: data, mountPath: /data}]
$volume"
  smoke_pod pvc-writer 'echo survived-$HOSTNAME > /data/proof && sleep infinity' "$spec"
  smoke_wait_ready pvc-writer
  kubectl -n "$SMOKE_NS" get pvc data -o jsonpath='{.status.phase}' | grep -qx Bound
  kubectl -n "$SMOKE_NS" delete pod pvc-writer --wait >/dev/null
  smoke_pod pvc-reader 'sleep infinity' "$spec"
  smoke_wait_ready pvc-reader
  smoke_exec pvc-reader 'grep -qx survived-pvc-writer /data/proof'
}

smoke_service() {
  smoke_pod echo-server 'socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:"echo smoke-ok"'
  kubectl -n "$SMOKE_NS" expose pod echo-server --port 8080 --name echo >/dev/null
  smoke_wait_ready echo-server
  # With more than one node the client sits on another node than the server, so the
  # NetworkPolicy probe covers traffic between nodes.
  local apart=""
  ((WORKERS == 0)) || apart='  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: echo-server}}}'
  smoke_pod client 'sleep infinity' "$apart"
  smoke_wait_ready client
  smoke_until 20 smoke_connection open echo:8080
}

# smoke_until SECONDS CMD...: runs CMD once a second until it succeeds, for at most SECONDS.
smoke_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do ((SECONDS < deadline)) || return 1; sleep 1; done
}

# smoke_connection open|closed TARGET...: whether the client gets the echo server's answer
# from each TARGET (host:port) within 3 s (open) or from none of them (closed). The pod
# prints its verdict, so a failed kubectl exec counts as neither.
smoke_connection() {
  local want="$1" target verdicts; shift
  verdicts="$(for target in "$@"; do
    smoke_exec client "if timeout 5 socat -T3 - TCP:$target,connect-timeout=3 </dev/null 2>/dev/null | grep -qx smoke-ok; then echo open; else echo closed; fi" 2>/dev/null
  done)"
  [[ "$(grep -cx "$want" <<<"$verdicts")" -eq $# ]]
}

# A deny-all ingress policy must turn the client's working connection to echo-server, by its
# Service and by its pod address, into a refused (or unanswered) one, and deleting the policy
# must open it again: so the policy, not a broken pod, closed it.
smoke_network_policy() {
  local ip t0
  ip="$(kubectl -n "$SMOKE_NS" get pod echo-server -o jsonpath='{.status.podIP}')"
  smoke_connection open echo:8080 "$ip:8080" \
    || { log "NetworkPolicy probe: the client cannot reach echo-server before any policy"; return 1; }
  kubectl -n "$SMOKE_NS" apply -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-echo}
spec:
  podSelector: {matchLabels: {app: echo-server}}
  policyTypes: [Ingress]
YAML
  t0=$SECONDS
  if ! smoke_until 60 smoke_connection closed echo:8080 "$ip:8080"; then
    log "NetworkPolicy: not enforced: the connection stayed open for 60 s under a deny-all ingress policy"
    return 1
  fi
  log "NetworkPolicy: enforced: the deny-all ingress policy closed the connection within $((SECONDS - t0)) s"
  kubectl -n "$SMOKE_NS" delete networkpolicy deny-echo >/dev/null
  t0=$SECONDS
  if ! smoke_until 60 smoke_connection open echo:8080 "$ip:8080"; then
    log "NetworkPolicy: the connection stayed closed for 60 s after the policy was deleted"
    return 1
  fi
  log "NetworkPolicy: the connection was open again within $((SECONDS - t0)) s of deleting the policy"
}

# The policy probe alone, for a cluster that got its engine after it was created.
smoke_policy_only() {
  kubectl delete namespace "$SMOKE_NS" --ignore-not-found --wait >/dev/null
  kubectl create namespace "$SMOKE_NS" >/dev/null
  step "smoke: a ClusterIP Service routes to its pod" smoke_service
  step "smoke: a deny-all NetworkPolicy refuses a working connection" smoke_network_policy
  kubectl delete namespace "$SMOKE_NS" --wait=false >/dev/null
}

# smoke_server NAME IMAGE INIT SERVER CLIENT: the image initialises a datadir, starts its
# server and answers SELECT VERSION() through the socket.
smoke_server() {
  smoke_pod "$1" "$3 >/dev/null && exec $4" "" "$2"
  smoke_wait_ready "$1"
  for _ in $(seq 1 60); do
    [[ -n "$(smoke_exec "$1" "$5 -N -e 'SELECT VERSION()'" 2>/dev/null)" ]] && return 0
    sleep 1
  done
  return 1
}

smoke_servers() {
  local mariadb_init='mariadb-install-db --no-defaults --datadir=/tmp/db --auth-root-authentication-method=socket'
  local mariadb_run='mariadbd --no-defaults --datadir=/tmp/db --socket=/tmp/db.sock --skip-networking'
  local mariadb_client='mariadb --no-defaults --socket=/tmp/db.sock'
  smoke_server mariadb-10-11 "$MARIADB_10_11_IMAGE" "$mariadb_init" "$mariadb_run" "$mariadb_client"
  smoke_server mariadb-11-8 "$MARIADB_11_8_IMAGE" "$mariadb_init" "$mariadb_run" "$mariadb_client"
  smoke_server mysql-9-7 "$MYSQL_9_7_IMAGE" 'mysqld --no-defaults --initialize-insecure --datadir=/tmp/db' \
    'mysqld --no-defaults --datadir=/tmp/db --socket=/tmp/db.sock --skip-networking --mysqlx=OFF --secure-file-priv=NULL' \
    'mysql --no-defaults --socket=/tmp/db.sock -uroot'
}

smoke_check() {
  kubectl delete namespace "$SMOKE_NS" --ignore-not-found --wait >/dev/null
  kubectl create namespace "$SMOKE_NS" >/dev/null
  step "smoke: every node Ready" smoke_nodes_ready
  step "smoke: coredns Ready" smoke_coredns_ready
  step "smoke: DNS for the API Service and a headless per-pod record" smoke_dns
  step "smoke: a PVC keeps a file across pods" smoke_pvc
  step "smoke: a ClusterIP Service routes to its pod" smoke_service
  step "smoke: a deny-all NetworkPolicy refuses a working connection" smoke_network_policy
  step "smoke: each server image starts its server" smoke_servers
  kubectl delete namespace "$SMOKE_NS" --wait=false >/dev/null
}
