# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# Writes the server's option file for this ordinal and the root client credentials.
. /etc/stateful-mysql/lib.sh

ord="$(ordinal)"
role=replica
is_primary && role=primary
{
  printf '!include %s/common.cnf\n!include %s/%s.cnf\n\n[mysqld]\n' "$CONF_DIR" "$CONF_DIR" "$role"
  printf 'server_id = %d\nreport_host = %s.%s\n' "$((SERVER_ID_BASE + ord))" "${HOSTNAME:-$(hostname)}" "$SERVICE_NAME"
} > "$RUN_DIR/my.cnf.tmp"
mv "$RUN_DIR/my.cnf.tmp" "$RUN_DIR/my.cnf"
write_client_cnf "$RUN_DIR/root.cnf" root "$(secret root-password)"
log "ordinal $ord: $role configuration written"
