# The S3-compatible object store the backup tests write to: versitygw, built from its Go
# module like every other binary here, on the Debian base image. Sourced after images.sh and
# server-images.sh (load_image).
#
# versitygw rather than rclone's `serve s3`: it is an S3 gateway and nothing else (SigV4,
# multipart uploads, ListObjectsV2 with prefixes, a POSIX directory as the backend), so the
# image is one small binary; rclone carries every cloud backend it supports (a build several
# times as long and a binary about twice the size) and its S3 server is one feature of a sync
# tool (docs/backup.md).
# shellcheck shell=bash

S3_SERVER_IMAGE="localhost/stateful-mysql/versitygw:$VERSITYGW_VERSION"

build_s3_server_image() {
  image_exists "$S3_SERVER_IMAGE" && return 0
  local bin
  bin="$(go_binary versitygw "$VERSITYGW_VERSION" github.com/versity/versitygw/cmd/versitygw)" || return 1
  # uid 999 like the database pods; the bucket directory is the pod's volume.
  binary_image "$S3_SERVER_IMAGE" "$DEBIAN_IMAGE" "$bin" \
    "USER 999:999" 'ENTRYPOINT ["/usr/local/bin/versitygw"]' "LABEL stateful-mysql.test-image=s3"
}

ensure_s3_server_image() {
  build_debian_image
  step "s3 server image (versitygw $VERSITYGW_VERSION)" build_s3_server_image
  load_image "$S3_SERVER_IMAGE"
}
