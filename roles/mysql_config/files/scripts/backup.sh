# shellcheck shell=bash
# Run as `bash <script> ID` from the ConfigMap by the stateful.mysql.backup module, in the
# replication container of the pod it backs up (its own memory limit: a temporary server
# runs here, never beside the serving mysqld). Writes one consistent physical backup to
# stdout, in the flavor's format (backup-<method>.sh), and what describes it to stderr as
# "@@stateful-mysql-backup NAME VALUE" lines among the log lines. The module stores the
# stream and writes a manifest only when this exits 0 and the stream ended complete.
. /etc/stateful-mysql/lib.sh

BACKUP_ID="${1:-}"
[[ $BACKUP_ID =~ ^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$ ]] || die "not a backup id: '$BACKUP_ID'"
# Scratch space in /tmp, the pod's emptyDir (the server container writes there too).
# shellcheck disable=SC2034  # backup-<method>.sh uses it
BACKUP_DIR="/tmp/backup-$BACKUP_ID"

# fact NAME VALUE: one line of what describes the backup, for the module.
fact() { printf '@@stateful-mysql-backup %s %s\n' "$1" "$2" >&2; }

# Leftovers of a backup that was cut off: the module lets one backup run at a time.
rm -rf /tmp/backup-*
# shellcheck source=/dev/null
. "$CONF_DIR/backup-$BACKUP_METHOD.sh"
fact server-version "$(sql 'SELECT VERSION()')"
fact source-role "$(is_primary && echo primary || echo replica)"
stream_backup
