# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# The pod's one init container: the option files, then a datadir (initialised on ordinal 0,
# cloned from the previous ordinal on the others). One container rather than three: each
# container start costs the pod about a second.
set -euo pipefail
for step in init-config init-datadir clone; do
  bash "/etc/stateful-mysql/$step.sh"
done
