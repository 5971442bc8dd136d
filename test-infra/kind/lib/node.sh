# The kind node image, assembled by hand because `kind build node-image` always pulls
# its images from registries. Sourced after images.sh.
# shellcheck shell=bash

NODE_PACKAGES="systemd conntrack iptables nftables iproute2 ethtool util-linux mount kmod
  libseccomp2 pigz fuse-overlayfs e2fsprogs bash ca-certificates curl jq procps"

build_node_base_image() {
  local kind_files; kind_files="$(kind_module_dir)/images/base/files"
  local lines=(
    "RUN $APT_INSTALL $(echo $NODE_PACKAGES) $NODE_PACKAGE_PINS && $APT_CLEAN"
    "COPY files/usr/local/bin/ /usr/local/bin/"
    "COPY files/kind/ /kind/"
    "COPY files/etc/ /etc/"
    "COPY crictl /usr/local/bin/crictl"
    "RUN chmod 0755 /usr/local/bin/* /kind/bin/* \\
      && ln -sf /usr/bin/containerd /usr/local/bin/containerd \\
      && mkdir -p /opt/cni/bin /etc/kubernetes/manifests && cp /usr/lib/cni/* /opt/cni/bin/ \\
      && ctr oci spec | jq '.hooks.createContainer += [{\"path\": \"/kind/bin/mount-product-files.sh\"}] | del(.process.rlimits)' > /etc/containerd/cri-base.json"
    "RUN rm -f /lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service \\
        /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \\
        /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \\
        /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/* \\
      && echo ReadKMsg=no >> /etc/systemd/journald.conf \\
      && ln -sf /usr/lib/systemd/systemd /sbin/init \\
      && systemctl enable kubelet.service containerd.service undo-mount-hacks.service \\
      && systemctl mask systemd-binfmt.service"
    "ENV container=docker"
    "STOPSIGNAL SIGRTMIN+3"
    'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]')
  local digest; digest="$(recipe_digest "$DEBIAN_IMAGE" "$KIND_VERSION" "$CRI_TOOLS_VERSION" "${lines[@]}")"
  image_is_current "$NODE_BASE_IMAGE" "$digest" && return 0
  local ctx; ctx="$(stage)"
  # kind's entrypoint, systemd units and containerd config, read from the kind module.
  cp -r "$kind_files" "$ctx/files"
  chmod -R u+w "$ctx/files"
  # Negative oom_score_adj is refused inside these VMs' containers (no CAP_SYS_RESOURCE).
  sed -i 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' "$ctx/files/etc/containerd/config.toml"
  grep -q 'restrict_oom_score_adj = true' "$ctx/files/etc/containerd/config.toml"
  cp "$(go_binary crictl "$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools/cmd/crictl)" "$ctx/crictl"
  image_from "$NODE_BASE_IMAGE" "$DEBIAN_IMAGE" "$ctx" "${lines[@]}" "LABEL stateful-mysql.recipe=$digest"
  rm -rf "$ctx"
}

# The node image's recipe: its base and every preloaded image, by image ID, so a rebuilt
# component image (or a new one in the preload list) rebuilds the node image.
node_image_digest() {
  local img ids=()
  for img in "$NODE_BASE_IMAGE" $(node_preload_images | sort -u); do
    ids+=("$img=$(docker image inspect -f '{{.Id}}' "$img")")
  done
  recipe_digest "$KUBERNETES_VERSION" "${ids[@]}"
}

build_node_image() {
  local digest; digest="$(node_image_digest)"
  image_is_current "$NODE_IMAGE" "$digest" && return 0
  local kbin="$CACHE_DIR/kubernetes/$KUBERNETES_VERSION" cid img
  cid="$(docker run -d --privileged --entrypoint sleep "$NODE_BASE_IMAGE" infinity)"
  # shellcheck disable=SC2064
  trap "docker rm -f $cid >/dev/null 2>&1" RETURN
  docker cp "$kbin/kubeadm" "$cid:/usr/bin/kubeadm"
  docker cp "$kbin/kubelet" "$cid:/usr/bin/kubelet"
  docker cp "$kbin/kubectl" "$cid:/usr/bin/kubectl"
  docker exec "$cid" sh -c "printf '%s' '$KUBERNETES_VERSION' > /kind/version && mkdir -p /kind/manifests"
  kind_storage_manifest | docker exec -i "$cid" sh -c 'cat > /kind/manifests/default-storage.yaml'
  docker exec -d "$cid" sh -c 'containerd > /var/log/containerd-build.log 2>&1'
  for _ in $(seq 1 30); do docker exec "$cid" ctr version >/dev/null 2>&1 && break; sleep 1; done
  for img in $(node_preload_images | sort -u); do
    docker save "$img" | docker exec -i "$cid" ctr -n k8s.io images import --all-platforms --no-unpack - >/dev/null
  done
  local have; have="$(docker exec "$cid" ctr -n k8s.io images ls -q)"
  for img in $(node_preload_images | sort -u); do
    grep -q "$img" <<<"$have" || { log "image $img missing in the node's containerd"; return 1; }
  done
  docker exec "$cid" pkill containerd || true
  sleep 2
  # The stop signal comes from the base image's config; docker 20.10's commit cannot set it.
  docker commit --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' \
    --change 'LABEL stateful-mysql.offline=yes' --change "LABEL stateful-mysql.recipe=$digest" "$cid" "$NODE_IMAGE.partial" >/dev/null
  [[ "$(docker image inspect -f '{{.Config.StopSignal}}' "$NODE_IMAGE.partial")" == "SIGRTMIN+3" ]]
  docker tag "$NODE_IMAGE.partial" "$NODE_IMAGE" && docker rmi "$NODE_IMAGE.partial" >/dev/null
}
