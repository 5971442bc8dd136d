# Host preparation: Debian packages, the runc wrapper, dockerd. Sourced after common.sh.
# shellcheck shell=bash

HOST_PACKAGES=(docker.io containerd runc debootstrap iptables iproute2 ca-certificates curl unzip)

ensure_host_packages() {
  local missing=()
  for p in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
  # kind bind-mounts /lib/modules into its nodes; these VMs have none.
  mkdir -p /lib/modules
}

# Compiling with one pinned Go keeps builds reproducible and the Go build cache valid across
# machines; Debian's golang is too old for Kubernetes v1.34.
ensure_go() {
  if [[ "$(go env GOVERSION 2>/dev/null)" == "go$GO_VERSION" ]]; then return 0; fi
  local dir="$CACHE_DIR/go-toolchain/$GO_VERSION" zip
  if [[ ! -x "$dir/bin/go" ]]; then
    zip="$CACHE_DIR/tmp/go$GO_VERSION.zip"
    log "fetching Go $GO_VERSION from the module proxy"
    curl -fsSL --retry 3 -o "$zip" \
      "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip"
    echo "$GO_TOOLCHAIN_SHA256  $zip" | sha256sum -c --quiet -
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    unzip -q "$zip" -d "$dir.tmp"
    chmod +x "$dir.tmp"/golang.org/toolchain@*/bin/* "$dir.tmp"/golang.org/toolchain@*/pkg/tool/*/*
    rm -rf "$dir" && mv "$dir.tmp"/golang.org/toolchain@* "$dir" && rm -rf "$dir.tmp" "$zip"
  fi
  ln -sf "$dir/bin/go" "$BIN_DIR/go"
}

ensure_runc_wrapper() {
  local src="$KIND_DIR/runc-wrapper" out="$BIN_DIR/runc-wrapper"
  local sum; sum="$(cat "$src"/go.mod "$src"/main.go | sha256sum | cut -d' ' -f1)"
  if [[ -x "$out" && "$(cat "$out.source-sha256" 2>/dev/null)" == "$sum" ]]; then return 0; fi
  mkdir -p "$BIN_DIR"
  (cd "$src" && go build -trimpath -o "$out.tmp" .)
  mv "$out.tmp" "$out"; printf '%s' "$sum" > "$out.source-sha256"
}

docker_ready() { docker info >/dev/null 2>&1; }

ensure_dockerd() {
  ensure_runc_wrapper
  # Debian's client matches Debian's daemon; a newer client elsewhere on PATH nags about buildx.
  ln -sf /usr/bin/docker "$BIN_DIR/docker"
  if docker_ready; then
    docker info --format '{{.DefaultRuntime}}' | grep -qx stateful-runc \
      || log "warning: dockerd is running without the runc wrapper; privileged containers may fail"
    return 0
  fi
  log "starting dockerd (log: $CACHE_DIR/dockerd.log)"
  # Started with setsid so it outlives the calling shell; there is no systemd on these VMs.
  setsid dockerd --add-runtime "stateful-runc=$BIN_DIR/runc-wrapper" --default-runtime stateful-runc \
    >>"$CACHE_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker_ready && return 0; sleep 1; done
  tail -20 "$CACHE_DIR/dockerd.log" >&2
  return 1
}
