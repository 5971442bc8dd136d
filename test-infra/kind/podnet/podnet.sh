#!/bin/sh
# podnet: pod networking for the offline test cluster, in place of kindnetd (whose source
# the module proxy here does not serve). Each node gets a CNI config for its own podCIDR
# (ptp + host-local, so every pod has a routed /32), a route to every other node's
# podCIDR, and masquerading for traffic leaving the pod network. It enforces no
# NetworkPolicy: see docs/testing.md.
set -u
: "${NODE_NAME:?}" "${POD_SUBNET:?}"
conf=/etc/cni/net.d/10-podnet.conflist

write_conf() {
  cat > "$conf.tmp" <<CONF
{
  "cniVersion": "0.4.0",
  "name": "podnet",
  "plugins": [
    {
      "type": "ptp",
      "mtu": 1500,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-ipam-state",
        "routes": [{"dst": "0.0.0.0/0"}],
        "ranges": [[{"subnet": "$1"}]]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CONF
  mv "$conf.tmp" "$conf"
  echo "podnet: wrote $conf for $1"
}

sync_once() {
  nodes="$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}')" \
    || return 1
  echo "$nodes" | while read -r name cidr ip; do
    [ -n "$cidr" ] && [ -n "$ip" ] || continue
    if [ "$name" = "$NODE_NAME" ]; then
      grep -qF "\"$cidr\"" "$conf" 2>/dev/null || write_conf "$cidr"
    else
      ip route replace "$cidr" via "$ip"
    fi
  done
  iptables -t nat -C POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -j MASQUERADE 2>/dev/null \
    || iptables -t nat -A POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -j MASQUERADE
}

sysctl -qw net.ipv4.ip_forward=1
while :; do
  sync_once || echo "podnet: sync failed, retrying"
  sleep "${PODNET_INTERVAL:-5}"
done
