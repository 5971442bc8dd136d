# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# The server, in the foreground, with the option file init-config wrote for this ordinal.
. /etc/stateful-mysql/lib.sh
[[ -d $DATADIR ]] || die "no datadir at $DATADIR: the init containers did not finish"
hold=()
# A fresh clone may carry its donor's replication channel (MySQL copies it): it must not
# start before the sidecar has pointed it at the primary.
if [[ -f $SETUP_DIR/state && "$(cat "$SETUP_DIR/state")" == pending ]]; then hold=("$SKIP_REPLICA_START_OPTION"); fi
exec "$SERVER_BIN" --defaults-file="$RUN_DIR/my.cnf" "${hold[@]}"
