# shellcheck shell=bash
# Run as `bash <script>` from the ConfigMap (mounted without execute bits).
# A replica with no datadir: copy the previous ordinal's data into data.partial with the
# flavor's clone method (clone-plugin.sh or clone-stream.sh), and only once it is complete
# rename it to data. What replication needs to start is left for the sidecar.
. /etc/stateful-mysql/lib.sh

if [[ -d $DATADIR ]]; then log "datadir present; nothing to clone"; exit 0; fi
ord="$(ordinal)"
((ord > 0)) || { log "ordinal 0 is initialised, not cloned"; exit 0; }
DONOR="$STS_NAME-$((ord - 1)).$SERVICE_NAME"
# Defines clone_from_donor: fills $PARTIAL from $DONOR and writes what the sidecar needs
# into $SETUP_DIR.tmp.
# shellcheck source=/dev/null
. "$CONF_DIR/clone-$CLONE_METHOD.sh"

rm -rf "$PARTIAL" "$SETUP_DIR" "$SETUP_DIR.tmp"
mkdir -p "$SETUP_DIR.tmp"
started=$SECONDS
clone_from_donor
printf '%s\n' "$DONOR" > "$SETUP_DIR.tmp/donor"
printf 'pending\n' > "$SETUP_DIR.tmp/state"
printf 'cloned from %s %s\n' "$DONOR" "$(date -u +%FT%TZ)" > "$PARTIAL/.stateful-mysql"
sync
mv "$SETUP_DIR.tmp" "$SETUP_DIR"
mv "$PARTIAL" "$DATADIR"
log "datadir cloned from $DONOR in $((SECONDS - started))s"
