# The database server images the end-to-end tests run: Debian's packages and nothing else.
# No entrypoint and an empty datadir, like an official image once its entrypoint is
# bypassed, so the collection's own scripts must initialise everything. uid/gid 999 as in
# the official mysql and mariadb images, so one securityContext fits all. Sourced after
# images.sh.
# shellcheck shell=bash

# Debian sid on this mirror is a frozen snapshot whose Release file has expired (its
# Valid-Until passed): apt inside the image is told not to check that date.
SID_IMAGE="localhost/stateful-mysql/debian:sid"

build_sid_image() {
  image_exists "$SID_IMAGE" && return 0
  local tarball="$CACHE_DIR/rootfs/sid-minbase.tar" root
  if [[ ! -f "$tarball" ]]; then
    root="$(mktemp -d "$CACHE_DIR/tmp/rootfs.XXXXXX")"
    debootstrap --variant=minbase sid "$root" "$DEBIAN_MIRROR" >"$CACHE_DIR/debootstrap-sid.log" 2>&1
    printf 'deb %s sid main\n' "$DEBIAN_MIRROR" > "$root/etc/apt/sources.list"
    printf 'Acquire::Check-Valid-Until "false";\n' > "$root/etc/apt/apt.conf.d/99frozen-snapshot"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$(dirname "$tarball")"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  docker import "$tarball" "$SID_IMAGE" >/dev/null
}

# server_image NAME BASE FLAVOR PACKAGES...: BASE plus the packages, a mysql user 999 and an
# empty /var/lib/mysql. The recipe's digest is a label: a changed recipe rebuilds, an
# unchanged one never does.
server_image() {
  local name="$1" base="$2" flavor="$3"; shift 3
  local run="RUN groupadd -g 999 mysql && useradd -r -u 999 -g 999 -M -d /var/lib/mysql -s /usr/sbin/nologin mysql \\
      && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\
      && $APT_INSTALL $* \\
      && $APT_CLEAN && rm -f /usr/sbin/policy-rc.d \\
      && rm -rf /var/lib/mysql && install -d -o mysql -g mysql /var/lib/mysql /run/mysqld"
  local digest; digest="$(printf '%s\n%s\n' "$base" "$run" | sha256sum | cut -c1-16)"
  if image_exists "$name" \
    && [[ "$(docker image inspect -f '{{index .Config.Labels "stateful-mysql.recipe"}}' "$name")" == "$digest" ]]; then
    return 0
  fi
  local ctx; ctx="$(stage)"
  image_from "$name" "$base" "$ctx" "$run" "USER 999:999" \
    "LABEL stateful-mysql.test-image=$flavor stateful-mysql.recipe=$digest"
  rm -rf "$ctx"
}

build_mariadb_10_11_image() {
  local v="$MARIADB_10_11_PACKAGE_VERSION"
  server_image "$MARIADB_10_11_IMAGE" "$DEBIAN_IMAGE" mariadb \
    "mariadb-server=$v mariadb-client=$v mariadb-backup=$v socat=$BOOKWORM_SOCAT_VERSION procps" \
    "zstd=$BOOKWORM_ZSTD_VERSION openssl=$BOOKWORM_OPENSSL_VERSION"
}

build_mariadb_11_8_image() {
  local v="$MARIADB_11_8_PACKAGE_VERSION"
  server_image "$MARIADB_11_8_IMAGE" "$SID_IMAGE" mariadb \
    "mariadb-server=$v mariadb-client=$v mariadb-backup=$v socat=$SID_SOCAT_VERSION procps" \
    "zstd=$SID_ZSTD_VERSION openssl=$SID_OPENSSL_VERSION"
}

# The pod scripts need bash and coreutils beside the server and its client; MySQL clones
# with its CLONE plugin, so neither socat nor a backup tool. zstd and openssl, as in the
# official images (which install them beside the server).
build_mysql_9_7_image() {
  local v="$MYSQL_9_7_PACKAGE_VERSION"
  server_image "$MYSQL_9_7_IMAGE" "$SID_IMAGE" mysql "mysql-server-core=$v mysql-client-core=$v procps" \
    "zstd=$SID_ZSTD_VERSION openssl=$SID_OPENSSL_VERSION"
}

# Loads an image into every node that does not hold it yet.
load_image() {
  local image="$1" node missing=()
  for node in $(kind get nodes --name "$CLUSTER_NAME"); do
    # An image rebuilt under the same tag has a new ID: compare IDs, not names.
    [[ "$(docker exec "$node" crictl inspecti -o go-template --template '{{.status.id}}' "$image" 2>/dev/null)" \
      == "$(docker image inspect -f '{{.Id}}' "$image")" ]] || missing+=("$node")
  done
  ((${#missing[@]} == 0)) && return 0
  kind load docker-image "$image" --name "$CLUSTER_NAME" --nodes "$(IFS=,; echo "${missing[*]}")"
}

ensure_server_images() {
  build_debian_image
  build_sid_image
  step "mariadb 10.11 image" build_mariadb_10_11_image
  step "mariadb 11.8 image" build_mariadb_11_8_image
  step "mysql 9.7 image" build_mysql_9_7_image
  local image
  for image in "$MARIADB_10_11_IMAGE" "$MARIADB_11_8_IMAGE" "$MYSQL_9_7_IMAGE"; do load_image "$image"; done
}
