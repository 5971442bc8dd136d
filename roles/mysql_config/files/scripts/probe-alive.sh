# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# Liveness: the server process answers. Replication plays no part, so a lagging or broken
# replica is taken out of service by readiness, never restarted for it.
. /etc/stateful-mysql/lib.sh
"$ADMIN_BIN" --defaults-extra-file="$RUN_DIR/root.cnf" --connect-timeout=5 ping >/dev/null
