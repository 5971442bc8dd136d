# Image builds for the offline cluster. Sourced after common.sh and host.sh.
# Every image is built from Debian packages or Go modules; an image is tagged only when
# its build finished, so an interrupted run never leaves a "finished" half-image.
# shellcheck shell=bash
# The image names are read by node.sh and cluster.sh, which source this file too.
# shellcheck disable=SC2034

DEBIAN_IMAGE="localhost/stateful-mysql/debian:$DEBIAN_SUITE"
NETBASE_IMAGE="localhost/stateful-mysql/netbase:$DEBIAN_SUITE"
NODE_BASE_IMAGE="localhost/stateful-mysql/kind-base:$KIND_VERSION"
PODNET_IMAGE="localhost/stateful-mysql/podnet:$KUBERNETES_VERSION"
KUBE_ROUTER_IMAGE="localhost/stateful-mysql/kube-router:$KUBE_ROUTER_VERSION"

kind_module_dir() { go_module_dir "sigs.k8s.io/kind@$KIND_VERSION"; }
k8s_module_dir() { go_module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION"; }

# The image names kind's storage manifest asks for, read from kind's source.
kind_storage_image() { # provisioner|helper
  local var; case "$1" in provisioner) var=storageProvisionerImage ;; helper) var=storageHelperImage ;; esac
  sed -n "s/^const $var = \"\(.*\)\"$/\1/p" "$(kind_module_dir)/pkg/build/nodeimage/const_storage.go"
}
# The storage manifest kind would install, extracted from kind's source at build time.
kind_storage_manifest() {
  local f; f="$(kind_module_dir)/pkg/build/nodeimage/const_storage.go"
  awk '/^const defaultStorageManifest = `/{on=1; next} on && /^`/{exit} on' "$f" \
    | sed -e "s#\` + storageProvisionerImage + \`#$(kind_storage_image provisioner)#" \
          -e "s#\` + storageHelperImage + \`#$(kind_storage_image helper)#"
}

# go_binary NAME VERSION PKG: `go install` PKG@VERSION (whose binary is NAME) into a
# versioned cache folder.
go_binary() {
  local name="$1" version="$2" pkg="$3" dir="$CACHE_DIR/gobin/$1-$2"
  if [[ -x "$dir/$name" ]]; then printf '%s' "$dir/$name"; return; fi
  rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
  (cd "$CACHE_DIR" && GOBIN="$dir.tmp" go install -trimpath -ldflags "-s -w" "$pkg@$version") >&2
  [[ -x "$dir.tmp/$name" ]] || { log "go install $pkg did not produce $name"; return 1; }
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  printf '%s' "$dir/$name"
}

# etcd's root module replaces its submodules with local paths, so it is built through a
# wrapper that calls the server's own main package.
build_etcd() {
  local dir="$CACHE_DIR/gobin/etcd-$ETCD_VERSION" w="$CACHE_DIR/gobin/etcd-wrapper-$ETCD_VERSION"
  if [[ -x "$dir/etcd" ]]; then printf '%s' "$dir/etcd"; return; fi
  rm -rf "$w" "$dir.tmp"; mkdir -p "$w" "$dir.tmp"
  printf 'module localbuild/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$w/go.mod"
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > "$w/main.go"
  (cd "$w" && GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -ldflags "-s -w" -o "$dir.tmp/etcd" .) >&2
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  printf '%s' "$dir/etcd"
}

# pause is a few lines of C in the Kubernetes module; compiled statically from there.
build_pause() {
  local out="$CACHE_DIR/gobin/pause-$PAUSE_VERSION/pause"
  if [[ -x "$out" ]]; then printf '%s' "$out"; return; fi
  mkdir -p "$(dirname "$out")"
  gcc -Os -static -Wall -DVERSION="v$PAUSE_VERSION" -o "$out.tmp" "$(k8s_module_dir)/build/pause/linux/pause.c" >&2
  strip "$out.tmp"; mv "$out.tmp" "$out"
  printf '%s' "$out"
}

# image_from NAME BASE CONTEXT_DIR DOCKERFILE_LINES...: builds NAME from BASE plus files
# staged in CONTEXT_DIR. Docker tags only after a successful build.
image_from() {
  local name="$1" base="$2" ctx="$3"; shift 3
  { echo "FROM $base"; printf '%s\n' "$@"; } > "$ctx/Dockerfile"
  docker build -q -t "$name" "$ctx" >/dev/null
}

# recipe_digest TEXT...: names a recipe; an image built from it carries the digest as its
# stateful-mysql.recipe label, so a changed recipe rebuilds under the same tag.
recipe_digest() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }
image_is_current() { # NAME DIGEST
  image_exists "$1" \
    && [[ "$(docker image inspect -f '{{index .Config.Labels "stateful-mysql.recipe"}}' "$1")" == "$2" ]]
}

stage() { local d; d="$(mktemp -d "$CACHE_DIR/tmp/ctx.XXXXXX")"; printf '%s' "$d"; }

build_debian_image() {
  image_exists "$DEBIAN_IMAGE" && return 0
  local tarball="$CACHE_DIR/rootfs/$DEBIAN_SUITE-minbase.tar"
  if [[ ! -f "$tarball" ]]; then
    local root; root="$(mktemp -d "$CACHE_DIR/tmp/rootfs.XXXXXX")"
    debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1
    # The same suites the host uses, so security fixes and point releases install.
    cat > "$root/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb ${DEBIAN_MIRROR%/debian}/debian-security $DEBIAN_SUITE-security main
SOURCES
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$(dirname "$tarball")"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  docker import "$tarball" "$DEBIAN_IMAGE" >/dev/null
}

APT_INSTALL='export DEBIAN_FRONTEND=noninteractive && apt-get update -q && apt-get install -y -q --no-install-recommends'
APT_CLEAN='apt-get clean && rm -rf /var/lib/apt/lists/*'

build_netbase_image() {
  image_exists "$NETBASE_IMAGE" && return 0
  local ctx; ctx="$(stage)"
  image_from "$NETBASE_IMAGE" "$DEBIAN_IMAGE" "$ctx" \
    "RUN $APT_INSTALL iptables nftables conntrack iproute2 ca-certificates && $APT_CLEAN"
  rm -rf "$ctx"
}

# binary_image NAME BASE BINARY [DOCKERFILE_LINES...]: BASE plus one binary in /usr/local/bin.
binary_image() {
  local name="$1" base="$2" bin="$3"; shift 3
  image_exists "$name" && return 0
  local ctx; ctx="$(stage)"
  cp "$bin" "$ctx/"
  image_from "$name" "$base" "$ctx" "COPY $(basename "$bin") /usr/local/bin/" "$@"
  rm -rf "$ctx"
}

build_component_images() {
  local kbin="$CACHE_DIR/kubernetes/$KUBERNETES_VERSION" c
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    binary_image "registry.k8s.io/$c:$KUBERNETES_VERSION" "$DEBIAN_IMAGE" "$kbin/$c" \
      "ENTRYPOINT [\"/usr/local/bin/$c\"]"
  done
  binary_image "registry.k8s.io/kube-proxy:$KUBERNETES_VERSION" "$NETBASE_IMAGE" "$kbin/kube-proxy" \
    'ENTRYPOINT ["/usr/local/bin/kube-proxy"]'
  binary_image "registry.k8s.io/etcd:${ETCD_VERSION#v}-0" "$DEBIAN_IMAGE" "$(build_etcd)" \
    'ENTRYPOINT ["/usr/local/bin/etcd"]'
  binary_image "registry.k8s.io/coredns/coredns:$COREDNS_VERSION" "$DEBIAN_IMAGE" \
    "$(go_binary coredns "$COREDNS_VERSION" github.com/coredns/coredns)" \
    'RUN ln -s /usr/local/bin/coredns /coredns' 'ENTRYPOINT ["/coredns"]'
  local pause="registry.k8s.io/pause:$PAUSE_VERSION"
  if ! image_exists "$pause"; then
    local ctx; ctx="$(stage)"; cp "$(build_pause)" "$ctx/pause"
    { echo "FROM scratch"; echo "COPY pause /pause"; echo "USER 65535:65535"; echo 'ENTRYPOINT ["/pause"]'; } > "$ctx/Dockerfile"
    docker build -q -t "$pause" "$ctx" >/dev/null; rm -rf "$ctx"
  fi
  # kind's containerd config names an older sandbox tag; both names point at one image.
  local sandbox
  sandbox="$(sed -n 's/^\s*sandbox_image = "\(.*\)"/\1/p' "$(kind_module_dir)/images/base/files/etc/containerd/config.toml")"
  [[ -n "$sandbox" && "$sandbox" != "$pause" ]] && docker tag "$pause" "$sandbox"
  binary_image "$(kind_storage_image provisioner)" "$DEBIAN_IMAGE" \
    "$(go_binary local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" github.com/rancher/local-path-provisioner)"
  # The helper pod only needs /bin/sh, mkdir and rm, which the Debian base has.
  image_exists "$(kind_storage_image helper)" || docker tag "$DEBIAN_IMAGE" "$(kind_storage_image helper)"
  build_podnet_image
}

# kube-router's NetworkPolicy controller: iptables (the base's, nft like kube-proxy's, from
# the same image) plus ipset, which it runs as commands.
build_kube_router_image() {
  local bin lines digest ctx
  bin="$(go_binary kube-router "$KUBE_ROUTER_VERSION" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router)"
  lines=("RUN $APT_INSTALL ipset=$IPSET_PACKAGE_VERSION libipset13=$IPSET_PACKAGE_VERSION && $APT_CLEAN"
    "COPY kube-router /usr/local/bin/" 'ENTRYPOINT ["/usr/local/bin/kube-router"]')
  digest="$(recipe_digest "$NETBASE_IMAGE" "$KUBE_ROUTER_VERSION" "${lines[@]}")"
  image_is_current "$KUBE_ROUTER_IMAGE" "$digest" && return 0
  ctx="$(stage)"; cp "$bin" "$ctx/kube-router"
  image_from "$KUBE_ROUTER_IMAGE" "$NETBASE_IMAGE" "$ctx" "${lines[@]}" "LABEL stateful-mysql.recipe=$digest"
  rm -rf "$ctx"
}

build_podnet_image() {
  image_exists "$PODNET_IMAGE" && return 0
  local ctx; ctx="$(stage)"
  cp "$CACHE_DIR/kubernetes/$KUBERNETES_VERSION/kubectl" "$KIND_DIR/podnet/podnet.sh" "$ctx/"
  image_from "$PODNET_IMAGE" "$NETBASE_IMAGE" "$ctx" \
    "COPY kubectl /usr/local/bin/" "COPY podnet.sh /usr/local/bin/podnet" 'ENTRYPOINT ["/usr/local/bin/podnet"]'
  rm -rf "$ctx"
}

# The images every node preloads: what kubeadm lists, plus the CNI and storage images.
node_preload_images() {
  "$CACHE_DIR/kubernetes/$KUBERNETES_VERSION/kubeadm" config images list \
    --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null
  sed -n 's/^\s*sandbox_image = "\(.*\)"/\1/p' "$(kind_module_dir)/images/base/files/etc/containerd/config.toml"
  kind_storage_image provisioner
  kind_storage_image helper
  echo "$PODNET_IMAGE"
  echo "$KUBE_ROUTER_IMAGE"
}

check_kubeadm_images() {
  local want; want="$(node_preload_images | sort -u)"
  local missing=0 i
  for i in $want; do image_exists "$i" || { log "missing image $i"; missing=1; }; done
  return $missing
}
