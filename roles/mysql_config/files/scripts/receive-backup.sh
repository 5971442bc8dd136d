# shellcheck shell=bash
# Run as `bash <script> ID SIZE` from the ConfigMap by the stateful.mysql.backup_restore
# module, in the init container of ordinal 0 while restore-backup.sh waits for backup ID:
# reads exactly SIZE bytes from stdin into RESTORE_DIR, renamed to ID.stream only once all
# of them arrived (a cut-off transfer leaves nothing the restore would take).
. /etc/stateful-mysql/lib.sh
RESTORE_DIR=/tmp/restore

id="${1:-}" size="${2:-}"
[[ $id =~ ^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$ && $size =~ ^[0-9]+$ ]] || die "usage: receive-backup.sh ID SIZE"
waiting="$(state restore-from || true)"
[[ $waiting == "$id" ]] || die "this pod does not restore backup $id (restore-from: '${waiting:-none}')"
[[ ! -d $DATADIR ]] || die "ordinal 0 already has a datadir"
if [[ -f $RESTORE_DIR/$id.stream ]]; then
  printf 'already received\n'
  exit 0
fi
mkdir -p "$RESTORE_DIR"
part="$RESTORE_DIR/$id.part"
rm -f "$part"
head -c "$size" > "$part"
got="$(stat -c %s "$part")"
if [[ $got != "$size" ]]; then
  rm -f "$part"
  die "received $got of the $size bytes of backup $id: the transfer was cut off"
fi
mv "$part" "$RESTORE_DIR/$id.stream"
log "received backup $id ($size bytes)"
printf 'received %s\n' "$size"
