#!/usr/bin/env bash
# Builds the Galaxy tarball, installs it into a fresh virtualenv with its dependencies, and
# checks that the installed collection works by FQCN (docs, roles' specs, playbooks).
. "$(dirname "$0")/lib.sh"
banner "ansible-galaxy collection build and install"
# Built from what a clean checkout holds, so galaxy.yml's build_ignore is what keeps test
# infrastructure out.
src="$(checkout_copy)"
out="$WORK_DIR/dist"
rm -rf "$out"; mkdir -p "$out"
ansible-galaxy collection build "$src" --output-path "$out" --force >/dev/null
tarball="$(ls "$out"/stateful-mysql-*.tar.gz)"
echo "built $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
# What must not ship: test infrastructure, scenarios, the checkout's self-link.
if tar -tzf "$tarball" | grep -E '^(test-infra|molecule|collections|\.ci|\.ansible)/|^(Makefile|ansible\.cfg)$'; then
  echo "the tarball holds test infrastructure" >&2; exit 1
fi
fresh="$WORK_DIR/fresh-venv"
rm -rf "$fresh"
python3 -m venv "$fresh"
"$fresh/bin/pip" install -q --disable-pip-version-check ansible-core kubernetes \
  -c "$REPO/test-infra/python/constraints.txt"
export ANSIBLE_COLLECTIONS_PATH="$WORK_DIR/fresh-collections"
rm -rf "$ANSIBLE_COLLECTIONS_PATH"
# kubernetes.core comes from the pinned ansible package's copy: there is no Galaxy here.
k8s_core="$(python -c 'import ansible_collections.kubernetes.core as m, os; print(os.path.dirname(m.__file__))' 2>/dev/null \
  || echo "$VENV/lib/python3.11/site-packages/ansible_collections/kubernetes/core")"
mkdir -p "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/kubernetes"
cp -r "$k8s_core" "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/kubernetes/core"
"$fresh/bin/ansible-galaxy" collection install "$tarball" -p "$ANSIBLE_COLLECTIONS_PATH" >/dev/null
"$fresh/bin/ansible-galaxy" collection list stateful.mysql
cd "$(mktemp -d)"
for module in statefulset_wait replication_check k8s_objects_info; do
  "$fresh/bin/ansible-doc" "stateful.mysql.$module" | head -n 1
done
for role in rook_storageclass mysql_config mysql_services mysql_statefulset; do
  "$fresh/bin/ansible-doc" -t role "stateful.mysql.$role" | head -n 1
done
for playbook in site scale verify; do
  "$fresh/bin/ansible-playbook" --syntax-check "stateful.mysql.$playbook"
done
echo "the installed collection answers by FQCN"

# With a cluster at hand, the installed collection deploys and verifies for real.
if [[ -n "${KUBECONFIG:-}" && -n "${MYSQL_9_7_IMAGE:-}" ]]; then
  ns=galaxy-install
  banner "stateful.mysql.site from the installed tarball (namespace $ns)"
  # On failure the namespace's state is printed before it goes.
  trap 'rc=$?; ((rc == 0)) || cluster_snapshot "$ns"; "$KUBECTL" delete namespace "$ns" --ignore-not-found --wait=false >/dev/null' EXIT
  # 300 s instead of the 900 s default: a healthy run takes under a minute here.
  "$fresh/bin/ansible-playbook" stateful.mysql.site -e "stateful_mysql_namespace=$ns" \
    -e stateful_mysql_wait_timeout=300 \
    -e mysql_statefulset_replicas=2 -e "mysql_statefulset_image=$MYSQL_9_7_IMAGE" \
    -e mysql_statefulset_image_pull_policy=Never -e mysql_statefulset_storage_size=256Mi
fi
