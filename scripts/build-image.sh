#!/usr/bin/env bash
# Builds an OCI image layout tar holding Debian's static busybox, for tests and
# the demo (no registry is reachable here). Output: .work/images/busybox.tar,
# imported by `ctr images import` as $TSSHIM_IMAGE (printed on stdout).
#
#   oci-layout                      {"imageLayoutVersion":"1.0.0"}
#   index.json                      -> manifest, annotated with the image name
#   blobs/sha256/<manifest>         -> config + one gzip layer
#   blobs/sha256/<config>           Cmd ["sh"], Env PATH, rootfs.diff_ids
#   blobs/sha256/<layer>            rootfs: /bin/busybox, applet links, /etc files
#
# Every tar is written with fixed mtimes, owners and order, and gzip -n, so the
# same busybox gives byte-identical blobs; a stamp of the inputs lets a second
# run return at once.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022

IMAGE_NAME="${TSSHIM_IMAGE:-docker.io/library/busybox:tsshim}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
OUT_DIR=.work/images
OUT="$OUT_DIR/busybox.tar"
STAMP="$OUT_DIR/busybox.stamp"

[ -x "$BUSYBOX" ] || { echo "build-image: $BUSYBOX not found (apt-get install busybox-static)" >&2; exit 1; }

stamp="$( { sha256sum "$BUSYBOX" "$0"; echo "$IMAGE_NAME"; } | sha256sum | cut -d' ' -f1)"
if [ -f "$OUT" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$stamp" ]; then
  echo "$IMAGE_NAME"
  exit 0
fi

mkdir -p "$OUT_DIR"
work="$(mktemp -d "$OUT_DIR/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
layout="$work/layout"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/tmp} \
  "$layout/blobs/sha256"
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"

cp "$BUSYBOX" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
# --list-full gives each applet's conventional path (bin/sh, usr/bin/env, ...).
"$BUSYBOX" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
: >"$root/etc/hostname"
: >"$root/etc/hosts"
: >"$root/etc/resolv.conf"

# The layer: deterministic tar, then gzip without name or time stamp.
tar --create --file="$work/layer.tar" --directory="$root" \
  --sort=name --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner .
diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -9 "$work/layer.tar"
layer_sha="$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)"
layer_size="$(stat -c %s "$work/layer.tar.gz")"
mv "$work/layer.tar.gz" "$layout/blobs/sha256/$layer_sha"

# blob FILE -> prints "sha size" and stores FILE under blobs/sha256.
blob() {
  local sha size
  sha="$(sha256sum "$1" | cut -d' ' -f1)"
  size="$(stat -c %s "$1")"
  mv "$1" "$layout/blobs/sha256/$sha"
  echo "$sha $size"
}

arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
case "$arch" in i386) arch=386 ;; armhf) arch=arm ;; esac

printf '{"architecture":"%s","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"tsshim scripts/build-image.sh"}]}' \
  "$arch" "$diff_id" >"$work/config.json"
read -r config_sha config_size < <(blob "$work/config.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
  "$config_sha" "$config_size" "$layer_sha" "$layer_size" >"$work/manifest.json"
read -r manifest_sha manifest_size < <(blob "$work/manifest.json")

# io.containerd.image.name is taken verbatim by `ctr images import`; the OCI
# ref.name (a tag) is there for other tools.
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest_sha" "$manifest_size" "$arch" "$IMAGE_NAME" "${IMAGE_NAME##*:}" >"$layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"

tar --create --file="$work/image.tar" --directory="$layout" \
  --sort=name --format=gnu --mtime=@0 --owner=0 --group=0 --numeric-owner \
  oci-layout index.json blobs
mv "$work/image.tar" "$OUT"
echo "$stamp" >"$STAMP"
echo "$IMAGE_NAME"
