#!/usr/bin/env bash
# Compiles the Kubernetes node and control-plane binaries from Go modules.
# k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces the staging modules with
# local paths), so a throwaway wrapper module requires it and points each staging module
# at its published v0.MINOR.PATCH release instead.
. "$(dirname "$0")/lib/common.sh"

out="$CACHE_DIR/kubernetes/$KUBERNETES_VERSION"
key="kubernetes-$KUBERNETES_VERSION"
if is_built "$key"; then log "kubernetes $KUBERNETES_VERSION: cached"; exit 0; fi

wrapper="$CACHE_DIR/kubernetes/wrapper-$KUBERNETES_VERSION"
rm -rf "$wrapper" "$out.tmp"
mkdir -p "$wrapper" "$out.tmp"
staging_version="v0.${KUBERNETES_VERSION#v1.}"
modfile="$(cd "$CACHE_DIR" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" \
  | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
{
  echo "module localbuild/kubernetes"
  echo "go $(sed -n 's/^go //p' "$modfile")"
  echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
  sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 '"$staging_version"'#p' "$modfile"
} > "$wrapper/go.mod"
log "wrapper module: $(grep -c '^replace' "$wrapper/go.mod") staging replacements"

cmds=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
pkgs=(); for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done

build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ldflags+=" -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.gitTreeState=clean"
  ldflags+=" -X $p.buildDate=$build_date"
done

cd "$wrapper"
# -mod=mod lets the build record the sums of whatever the staging replacements pull in.
GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -tags selinux,notest -ldflags "$ldflags" \
  -o "$out.tmp/" "${pkgs[@]}"
"$out.tmp/kubeadm" version -o short | grep -qx "$KUBERNETES_VERSION"
rm -rf "$out"; mv "$out.tmp" "$out"
mark_built "$key"
log "kubernetes $KUBERNETES_VERSION built into $out"
