#!/usr/bin/env bash
# `make deploy`: site.yml against $KUBECONFIG, or, when KUBECONFIG is unset, against the
# local kind cluster (created on demand) with the collection's default flavor, MySQL 9.7, on
# the image built here from Debian's packages.
# Extra arguments go to ansible-playbook (for example -e mysql_statefulset_replicas=5).
. "$(dirname "$0")/lib.sh"
export ANSIBLE_COLLECTIONS_PATH="$REPO/collections"
local_vars=()
if [[ -z "${KUBECONFIG:-}" ]]; then
  banner "no KUBECONFIG: using the local kind cluster"
  use_local_cluster
  local_vars=(-e "mysql_statefulset_image=$MYSQL_9_7_IMAGE"
    -e mysql_statefulset_image_pull_policy=Never -e mysql_statefulset_storage_size=1Gi)
fi
banner "ansible-playbook site.yml"
cd "$REPO"
ansible-playbook site.yml "${local_vars[@]}" "$@"
