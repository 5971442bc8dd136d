# Releases what a killed node container leaves on kind's Docker network. Sourced by cluster.sh.
# shellcheck shell=bash
#
# Why: when a machine stops, the node container's processes are killed without Docker. Its
# network namespace (and every pod namespace inside it) is then torn down by the kernel, which
# took 12 s to 73 s here. Until then the old node's veth stays on kind's bridge with the address
# Docker hands the new node, and the same MAC (Docker derives it from the address): the new
# node's IPv6 link-local fails DAD and traffic between the host and the new node is split
# between two ports. A cluster created in that window came up in 4 minutes instead of 50 s and
# then stopped scheduling work.

KIND_NETWORK="${KIND_EXPERIMENTAL_DOCKER_NETWORK:-kind}"

# Prints the host-side ifindex of each veth whose peer is in a running container on the network.
live_link_indexes() {
  local id pid
  for id in $(docker network inspect -f '{{range $id, $_ := .Containers}}{{$id}} {{end}}' "$KIND_NETWORK"); do
    pid="$(docker inspect -f '{{.State.Pid}}' "$id" 2>/dev/null)" || continue
    [[ "$pid" -gt 0 ]] || continue
    # Docker names the container's ends eth0, eth1...; "eth0@if75": 75 is the host-side
    # index. The node's pod veths are skipped: their peers live in pod namespaces.
    nsenter -t "$pid" -n ip -o link show type veth 2>/dev/null \
      | awk -F': ' '$2 ~ /^eth[0-9]+@if[0-9]+$/ { sub(/.*@if/, "", $2); print $2 }' || true
  done
}

# Prints "INDEX NAME" for each port of the network's bridge.
bridge_ports() {
  local bridge
  bridge="br-$(docker network inspect -f '{{printf "%.12s" .Id}}' "$KIND_NETWORK")"
  ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $1, $2 }'
}

stale_ports() {
  local live; live=" $(live_link_indexes | tr '\n' ' ') "
  local index name
  while read -r index name; do
    [[ -n "$index" && "$live" != *" $index "* ]] && printf '%s\n' "$name"
  done < <(bridge_ports)
}

release_stale_links() {
  docker network inspect "$KIND_NETWORK" >/dev/null 2>&1 || return 0
  local port stale
  stale="$(stale_ports)"
  [[ -z "$stale" ]] && return 0
  for port in $stale; do
    log "removing $port: left on the $KIND_NETWORK bridge by a node container that was killed"
    # Deleting one end of a veth deletes its peer too, whatever namespace holds it.
    ip link delete "$port" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    [[ -z "$(stale_ports)" ]] && return 0
    sleep 1
  done
  log "stale ports still on the $KIND_NETWORK bridge after 120 s: $(stale_ports | tr '\n' ' ')"
  return 1
}
