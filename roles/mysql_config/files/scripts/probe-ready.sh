# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# Readiness: the primary answers queries; a replica also needs both replication threads
# running, no replication error and a lag of at most MAX_LAG_SECONDS.
. /etc/stateful-mysql/lib.sh
sql 'SELECT 1' >/dev/null
# Not Ready on a new version until the sidecar has upgraded the system tables: a roll waits.
if upgrade_due; then die "the server's system tables await their upgrade"; fi
is_primary && exit 0
status="$(replica_status)"
[[ -n $status ]] || die "replication is not configured"
io="$(status_field "$status" "$COLUMN_IO_RUNNING")"
sqlt="$(status_field "$status" "$COLUMN_SQL_RUNNING")"
io_errno="$(status_field "$status" "$COLUMN_LAST_IO_ERRNO")"
sql_errno="$(status_field "$status" "$COLUMN_LAST_SQL_ERRNO")"
lag="$(status_field "$status" "$COLUMN_SECONDS_BEHIND")"
[[ $io == Yes && $sqlt == Yes ]] || die "replication threads: io=$io sql=$sqlt"
[[ $io_errno == 0 && $sql_errno == 0 ]] || die "replication errors: io=$io_errno sql=$sql_errno"
if [[ ! $lag =~ ^[0-9]+$ ]] || ((lag > MAX_LAG_SECONDS)); then
  die "lag ${lag:-NULL}s exceeds ${MAX_LAG_SECONDS}s"
fi
