# The MariaDB image the end-to-end tests run: Debian's packages and nothing else. No
# entrypoint and an empty datadir, like the official image once its entrypoint is bypassed,
# so the collection's own scripts must initialise everything. Sourced after images.sh.
# shellcheck shell=bash

build_mariadb_image() {
  image_exists "$MARIADB_IMAGE" && return 0
  local ctx v="$MARIADB_PACKAGE_VERSION"; ctx="$(stage)"
  # uid/gid 999 as in the official mysql and mariadb images, so one securityContext fits all.
  image_from "$MARIADB_IMAGE" "$DEBIAN_IMAGE" "$ctx" \
    "RUN groupadd -g 999 mysql && useradd -r -u 999 -g 999 -M -d /var/lib/mysql -s /usr/sbin/nologin mysql \\
      && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\
      && $APT_INSTALL mariadb-server=$v mariadb-client=$v mariadb-backup=$v socat procps \\
      && $APT_CLEAN && rm -f /usr/sbin/policy-rc.d \\
      && rm -rf /var/lib/mysql && install -d -o mysql -g mysql /var/lib/mysql /run/mysqld" \
    "USER 999:999" \
    "LABEL stateful-mysql.test-image=mariadb"
  rm -rf "$ctx"
}

# Loads the image into every node that does not hold it yet.
load_mariadb_image() {
  local node missing=()
  for node in $(kind get nodes --name "$CLUSTER_NAME"); do
    docker exec "$node" crictl inspecti "$MARIADB_IMAGE" >/dev/null 2>&1 || missing+=("$node")
  done
  ((${#missing[@]} == 0)) && return 0
  kind load docker-image "$MARIADB_IMAGE" --name "$CLUSTER_NAME" --nodes "$(IFS=,; echo "${missing[*]}")"
}

ensure_mariadb_image() {
  build_debian_image
  build_mariadb_image
  load_mariadb_image
}
