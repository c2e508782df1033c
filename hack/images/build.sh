#!/bin/sh
# Builds the demo images as OCI image layout tarballs from Debian's busybox-static, without network:
#   demo/tools:v1  busybox and its applets (sh, wget, nc, sleep, cat, ...)
#   demo/web:v1|v2 busybox httpd on $PORT (default 8080): GET / -> version=vN host=<hostname>,
#                  GET /healthz -> 200, GET /env (301 to /env/) or /cgi-bin/env -> the environment,
#                  GET /app/<file> -> /etc/app/<file>
# Usage: hack/images/build.sh [OUTDIR]   (default $SKIFF_HOME/images, SKIFF_HOME default ~/.skiff)
# Output is byte-for-byte deterministic: fixed mtimes, owners and order, gzip without names.
set -eu
umask 022
OUT=${1:-${SKIFF_HOME:-$HOME/.skiff}/images}
BUSYBOX=${BUSYBOX:-/bin/busybox}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/skiff-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
dtar() { tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$1" -cf "$2" .; }

# base_rootfs DIR: busybox, one symlink per applet, passwd/group, /tmp.
base_rootfs() {
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root" "$1/proc" "$1/sys" "$1/dev"
  chmod 1777 "$1/tmp"
  cp "$BUSYBOX" "$1/bin/busybox"
  # One process for ~270 symlinks (a shell loop forks ln that many times).
  "$BUSYBOX" --list | node -e '
    const fs = require("fs"); const dir = process.argv[1];
    for (const a of fs.readFileSync(0, "utf8").split("\n"))
      if (a && a !== "busybox") fs.symlinkSync("busybox", dir + "/" + a);' "$1/bin"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}

web_rootfs() {
  cp -a "$WORK/tools" "$1"
  mkdir -p "$1/www/cgi-bin" "$1/www/env" "$1/etc/app"
  cp "$HERE/web/index.cgi" "$1/www/cgi-bin/index.cgi"
  cp "$HERE/web/index.cgi" "$1/www/cgi-bin/env"
  chmod 755 "$1/www/cgi-bin/index.cgi" "$1/www/cgi-bin/env"
  echo ok >"$1/www/healthz"
  ln -s /etc/app "$1/www/app"
  cp "$HERE/web/serve.sh" "$1/bin/serve"
  chmod 755 "$1/bin/serve"
}

# image NAME TAG ROOTFS CONFIGJSON(without rootfs) -> $OUT/<name with / as ->-<tag>.tar
image() {
  name=$1 tag=$2 root=$3 cfg=$4
  lay="$WORK/layout-$tag-$(echo "$name" | tr / -)"
  mkdir -p "$lay/blobs/sha256"
  dtar "$root" "$WORK/layer.tar"
  diffid=$(sha "$WORK/layer.tar")
  gzip -n -c "$WORK/layer.tar" >"$WORK/layer.tgz"
  ldig=$(sha "$WORK/layer.tgz") lsize=$(size "$WORK/layer.tgz")
  mv "$WORK/layer.tgz" "$lay/blobs/sha256/$ldig"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$cfg" "$diffid" >"$WORK/config.json"
  cdig=$(sha "$WORK/config.json") csize=$(size "$WORK/config.json")
  mv "$WORK/config.json" "$lay/blobs/sha256/$cdig"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$cdig" "$csize" "$ldig" "$lsize" >"$WORK/manifest.json"
  mdig=$(sha "$WORK/manifest.json") msize=$(size "$WORK/manifest.json")
  mv "$WORK/manifest.json" "$lay/blobs/sha256/$mdig"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"docker.io/%s:%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$mdig" "$msize" "$name" "$tag" "$tag" >"$lay/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$lay/oci-layout"
  file="$OUT/$(echo "$name" | tr / -)-$tag.tar"
  dtar "$lay" "$file"
  echo "$name:$tag $file sha256:$mdig"
}

ENV_PATH='"PATH=/bin"'
base_rootfs "$WORK/tools"
image demo/tools v1 "$WORK/tools" "{\"Env\":[$ENV_PATH],\"Cmd\":[\"/bin/sh\"]}"

for v in v1 v2; do
  web_rootfs "$WORK/web-$v"
  image demo/web "$v" "$WORK/web-$v" \
    "{\"Env\":[$ENV_PATH,\"VERSION=$v\",\"PORT=8080\"],\"Cmd\":[\"/bin/serve\"],\"WorkingDir\":\"/www\",\"ExposedPorts\":{\"8080/tcp\":{}},\"StopSignal\":\"SIGTERM\"}"
done
