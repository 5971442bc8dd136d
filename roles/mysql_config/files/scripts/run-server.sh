# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# The server, in the foreground, with the option file init-config wrote for this ordinal.
. /etc/stateful-mysql/lib.sh
[[ -d $DATADIR ]] || die "no datadir at $DATADIR: the init containers did not finish"
exec "$SERVER_BIN" --defaults-file="$RUN_DIR/my.cnf"
