#!/usr/bin/env bash
# Builds the Galaxy tarball, installs it into a fresh virtualenv with its dependencies, and
# checks that the installed collection works by FQCN (docs, roles' specs, playbooks).
. "$(dirname "$0")/lib.sh"
banner "ansible-galaxy collection build and install"
root="$(collection_copy)"
out="$STATEFUL_MYSQL_CACHE/work/dist"
rm -rf "$out"; mkdir -p "$out"
ansible-galaxy collection build "$REPO" --output-path "$out" --force >/dev/null
tarball="$(ls "$out"/stateful-mysql-*.tar.gz)"
echo "built $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
# What must not ship: test infrastructure, scenarios, the checkout's self-link.
if tar -tzf "$tarball" | grep -E '^(test-infra|molecule|collections|\.ci)/'; then
  echo "the tarball holds test infrastructure" >&2; exit 1
fi
fresh="$STATEFUL_MYSQL_CACHE/work/fresh-venv"
rm -rf "$fresh"
python3 -m venv "$fresh"
"$fresh/bin/pip" install -q --disable-pip-version-check ansible-core kubernetes \
  -c "$REPO/test-infra/python/constraints.txt"
export ANSIBLE_COLLECTIONS_PATH="$STATEFUL_MYSQL_CACHE/work/fresh-collections"
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
