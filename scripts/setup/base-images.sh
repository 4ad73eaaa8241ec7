#!/usr/bin/env bash
# Makes the base images of the example app (examples/shop) from Debian 12 (bookworm) packages, on this
# machine: there is no Docker Hub here, only Debian's package mirror (and PyPI and the npm registry for
# what the images' build stages install themselves). Four OCI archives:
#
#   python.tar      python3, python3-venv (`python3 -m venv /venv` gives a pip for `pip install`)
#   node.tar        nodejs (the runtime only)
#   node-build.tar  nodejs and npm (for `npm ci` in a build stage)
#   postgres.tar    postgresql-15 (server binaries in /usr/lib/postgresql/15/bin; no cluster is made)
#
# Every image is a bookworm minbase (debootstrap --variant=minbase, then bookworm-updates and
# bookworm-security applied) with ca-certificates and:
#   - a user and group `app`, uid/gid 10001, home /home/app (the chart runs every container as 10001,
#     and initdb and others need the running uid to exist in /etc/passwd);
#   - the host's extra CAs (/usr/local/share/ca-certificates/*.crt, e.g. an intercepting proxy's)
#     trusted: copied into the image and merged by update-ca-certificates, so pip, npm and node reach
#     PyPI and the npm registry through the same proxy as the host;
#   - env: PATH, LANG=C.UTF-8, SSL_CERT_FILE (and PIP_CERT for python, NPM_CONFIG_CAFILE and
#     NODE_EXTRA_CA_CERTS for the node ones) naming /etc/ssl/certs/ca-certificates.crt; the postgres
#     image also has /usr/lib/postgresql/15/bin on its PATH;
#   - no apt lists or caches, no docs (but the copyright files), man pages or translations; the images
#     run as root unless the Containerfile says otherwise (build stages install as root).
# Next to each archive, <name>.packages lists its Debian packages (`dpkg-query -W`: name, tab,
# version), e.g. for the tests or to see what a scanner reports against.
#
# How: one debootstrap of the minbase, then per image a copy of it in a `buildah from scratch`
# container (buildah mount), `apt-get install --no-install-recommends` in a chroot of it (with /proc
# mounted only while apt runs, unmounted by a trap), `buildah config` and `buildah commit` (one gzip
# layer) straight to `oci-archive:<cache>/base-images/<key>/<name>.tar`, which `skopeo copy
# --preserve-digests` pushes byte for byte (ensureBaseImages in bin/lib/local-stack.ts). buildah works
# in a containers storage of this script's own (vfs driver) under the build's temporary directory, so
# the machine's store is never touched. Needs root (debootstrap, chroot), debootstrap and buildah
# (scripts/system-packages.txt) and the Debian mirror of /etc/apt/sources.list.d (default
# http://deb.debian.org/debian; set POLYGLOT_CD_DEBIAN_MIRROR to use another one).
#
# Cached under $POLYGLOT_CD_CACHE/base-images/<key>/ (default ~/.cache/polyglot-cd, or
# $XDG_CACHE_HOME/polyglot-cd), where <key> is "bookworm-" and the hash of: the suite, every image's
# package list, the hash of this script and the hash of the host's CA bundle
# (/etc/ssl/certs/ca-certificates.crt). Editing this script or adding a CA to the host makes new
# images; the same key returns at once. Security updates published after a build are picked up by the
# next key change (or by removing the directory). Downloaded packages are kept under
# base-images/debs so a rebuild downloads only what changed. Concurrent runs serialise on a lock per key.
# The first build took 9 minutes on 2 busy cores (debootstrap about 3, node-build's 475 packages about
# 3); a rebuild, with the packages already downloaded, 3 to 8 (busy cores); an unchanged key returns in
# 0.2 s.
#
# Using the Docker Hub images instead: the shop's Containerfiles take their bases as build-args
# (PYTHON_IMAGE, NODE_IMAGE, NODE_BUILD_IMAGE; the local pipeline passes these images by digest), so
# where Docker Hub (or a mirror of it) is reachable, give build-push's `build-args` input e.g.
#   PYTHON_IMAGE=python:3.12-slim
#   NODE_IMAGE=node:22-slim
#   NODE_BUILD_IMAGE=node:22-slim
# and charts/app's postgresql.image a postgres:15 (repository and digest). Those images have no `app`
# user (the chart runs as the numeric 10001, which they accept) and trust only the public CAs, so
# behind an intercepting proxy their build stages need its CA (e.g. PIP_CERT, NODE_EXTRA_CA_CERTS).
#
# Usage: bash scripts/setup/base-images.sh          builds (if needed) the four archives
#        bash scripts/setup/base-images.sh --print  the same, then prints the directory holding them
# Progress goes to stderr; --print writes only the directory to stdout.
set -euo pipefail

SUITE=bookworm
IMAGES=(python node node-build postgres)
HOST_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
HOST_CA_DIR=/usr/local/share/ca-certificates
CA_FILE=/etc/ssl/certs/ca-certificates.crt
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PG_BIN=/usr/lib/postgresql/15/bin
SELF=$(readlink -f "${BASH_SOURCE[0]}")

log() { echo "base-images: $*" >&2; }
die() { echo "base-images: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/base-images
DEB_CACHE=$CACHE_ROOT/debs
TMP_DIRS=()

# Unmounts whatever is still mounted below a temporary directory (a /proc of an interrupted chroot)
# before removing it: rm -rf must never walk into a mount.
cleanup() {
  local d m
  for d in "${TMP_DIRS[@]}"; do
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done < <(
      awk -v p="$d/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r
    )
    if awk -v p="$d/" 'index($2, p) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
      log "warning: $d still has mounts; left in place"
    else
      rm -rf "$d"
    fi
  done
}
trap cleanup EXIT

# The Debian packages of an image (ca-certificates is in every one).
packages_of() { # <image>
  case "$1" in
    python) echo python3 python3-venv ;;
    node) echo nodejs ;;
    node-build) echo nodejs npm ;;
    postgres) echo postgresql-15 ;;
    *) die "unknown image '$1'" ;;
  esac
}

# The environment of an image's config, one VAR=value a line.
env_of() { # <image>
  local path=$STD_PATH
  [ "$1" = postgres ] && path=$STD_PATH:$PG_BIN
  printf '%s\n' "PATH=$path" LANG=C.UTF-8 "SSL_CERT_FILE=$CA_FILE"
  case "$1" in
    python) echo "PIP_CERT=$CA_FILE" ;;
    node | node-build) printf '%s\n' "NPM_CONFIG_CAFILE=$CA_FILE" "NODE_EXTRA_CA_CERTS=$CA_FILE" ;;
  esac
}

cmd_of() { # <image>: the default command, as JSON
  case "$1" in
    python) echo '["python3"]' ;;
    node | node-build) echo '["node"]' ;;
    postgres) echo '["postgres", "--version"]' ;;
  esac
}

file_hash() { if [ -f "$1" ]; then sha256sum <"$1" | cut -d' ' -f1; else echo none; fi; }

key_material() {
  local n
  echo "suite=$SUITE arch=$(dpkg --print-architecture)"
  for n in "${IMAGES[@]}"; do echo "$n=ca-certificates $(packages_of "$n")"; done
  echo "script=$(file_hash "$SELF")"
  echo "ca-bundle=$(file_hash "$HOST_CA_BUNDLE")"
}

# The mirror of the Debian archive (and of its security archive) this machine's apt uses.
apt_uri() { # <regex the URI path ends with>
  {
    sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
  } | grep -E "^http://[^/]+/$1/?\$" | head -n1 | sed 's:/$::' || true
}
MIRROR=${POLYGLOT_CD_DEBIAN_MIRROR:-$(apt_uri debian)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=$(apt_uri debian-security)
SECURITY_MIRROR=${SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}

# Runs a command in the chroot <root> with a clean environment and /proc mounted while it runs.
in_chroot() { # <root> <command…>
  local root=$1 rc=0
  shift
  mkdir -p "$root/proc"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH="$STD_PATH" HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    "$@" || rc=$?
  umount "$root/proc" || umount -l "$root/proc"
  return "$rc"
}

apt_in() { # <root> <apt-get arguments…>
  local root=$1
  shift
  in_chroot "$root" apt-get -q -y -o Dpkg::Use-Pty=0 -o APT::Install-Recommends=false "$@"
}

# The minbase every image starts from, at <root>: debootstrap, the updates and security suites, the
# host's extra CAs, ca-certificates, the app user, and dpkg told to leave docs and man pages out.
make_minbase() { # <root> <work dir>
  local root=$1 work=$2 crt
  mkdir -p "$CACHE_ROOT/debootstrap-debs"
  log "debootstrap --variant=minbase $SUITE from $MIRROR"
  if ! run_with_progress "debootstrap" "$work/debootstrap.log" debootstrap --variant=minbase \
      --cache-dir="$CACHE_ROOT/debootstrap-debs" "$SUITE" "$root" "$MIRROR"; then
    tail -n 30 "$work/debootstrap.log" >&2
    die "debootstrap of $SUITE from $MIRROR failed"
  fi
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
SOURCES
  cat >"$root/etc/dpkg/dpkg.cfg.d/excludes" <<'EXCLUDES'
# no docs (but the copyright files), man pages or translations in these images
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EXCLUDES
  # no daemon is started by a package's postinst
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  cp -f /etc/resolv.conf "$root/etc/resolv.conf"
  mkdir -p "$root/usr/local/share/ca-certificates"
  for crt in "$HOST_CA_DIR"/*.crt; do
    [ -f "$crt" ] && install -m 0644 "$crt" "$root/usr/local/share/ca-certificates/"
  done
  log "applying $SUITE-updates and $SUITE-security, installing ca-certificates"
  seed_debs "$root"
  run_with_progress "minbase" "$work/minbase.log" minbase_packages "$root" || {
    tail -n 30 "$work/minbase.log" >&2
    die "apt-get in the minbase failed"
  }
  keep_debs "$root" "$work/debs"
  rm -f "$root"/var/cache/apt/archives/*.deb
  check_trust "$root"
}

# (run through run_with_progress, where errexit does not apply: every step is checked)
minbase_packages() { # <root>
  apt_in "$1" update &&
    apt_in "$1" dist-upgrade &&
    apt_in "$1" install ca-certificates &&
    in_chroot "$1" update-ca-certificates &&
    in_chroot "$1" groupadd --gid 10001 app &&
    in_chroot "$1" useradd --uid 10001 --gid 10001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app
}

# Every host CA in /usr/local/share/ca-certificates must be in the image's bundle.
check_trust() { # <root>
  local crt line
  for crt in "$HOST_CA_DIR"/*.crt; do
    [ -f "$crt" ] || continue
    line=$(grep -v -e '-----' "$crt" | head -n1)
    grep -qF -- "$line" "$1$CA_FILE" || die "the image's $CA_FILE lacks $crt"
  done
}

# The debs of earlier builds, hard-linked into the apt cache of <root>: apt downloads only what changed.
seed_debs() { # <root>
  mkdir -p "$1/var/cache/apt/archives/partial"
  find "$DEB_CACHE" -maxdepth 1 -name '*.deb' -exec ln -f -t "$1/var/cache/apt/archives/" {} + 2>/dev/null || true
}

# Debs the apt of <root> downloaded, hard-linked into <dir> (the next build finds them there).
keep_debs() { # <root> <dir>
  local deb
  mkdir -p "$2"
  for deb in "$1"/var/cache/apt/archives/*.deb; do
    [ -f "$deb" ] && ln -f "$deb" "$2/" 2>/dev/null || cp -f "$deb" "$2/" 2>/dev/null || true
  done
}

# What no image keeps: apt lists and caches, logs, docs but the copyright files, man pages.
slim() { # <root>
  local r=$1
  rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/* "$r"/var/cache/debconf/*-old "$r"/var/lib/dpkg/*-old \
    "$r"/var/log/apt "$r"/var/log/*.log "$r"/var/cache/ldconfig/aux-cache "$r"/usr/sbin/policy-rc.d \
    "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/groff/* "$r"/usr/share/lintian/* \
    "$r"/usr/share/linda/* "$r"/usr/share/locale/* "$r"/tmp/* "$r"/var/tmp/* "$r"/root/.cache
  find "$r/usr/share/doc" -mindepth 1 \( -type f -o -type l \) ! -name copyright -delete
  find "$r/usr/share/doc" -mindepth 1 -depth -type d -empty -delete
  # a snakeoil key is a private key a secret scan reports; no image serves TLS with it
  rm -f "$r/etc/ssl/private/ssl-cert-snakeoil.key" "$r/etc/ssl/certs/ssl-cert-snakeoil.pem"
  # the container runtime provides these
  : >"$r/etc/resolv.conf"
  : >"$r/etc/hostname"
  assert_unmounted "$r"
  find "$r/dev" -mindepth 1 -delete
}

assert_unmounted() { # <root>: nothing may be mounted below it (a bind-mounted /dev would be the host's)
  if awk -v p="$1/" 'index($2, p) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    die "something is still mounted below $1"
  fi
}

install_image() { # <root> <image>
  local root=$1 image=$2
  seed_debs "$root"
  apt_in "$root" update || return 1
  if [ "$image" = postgres ]; then
    # as the postgres image of Docker Hub: the package makes no cluster (the chart's initdb does)
    apt_in "$root" install postgresql-common &&
      sed -ri 's/^#?[[:space:]]*(create_main_cluster)[[:space:]]*=.*$/\1 = false/' \
        "$root/etc/postgresql-common/createcluster.conf" || return 1
  fi
  # shellcheck disable=SC2046
  apt_in "$root" install $(packages_of "$image")
}

# One image: a scratch container holding a copy of the minbase, its packages installed in a chroot,
# slimmed, configured and committed to <out>/<image>.tar; its package list to <out>/<image>.packages.
build_image() { # <image> <minbase root> <work dir> <out dir>
  local image=$1 base=$2 work=$3 out=$4 ctr mnt start=$SECONDS env_args=() var
  ctr=$(buildah from --name "pcd-$image-$$" scratch)
  mnt=$(buildah mount "$ctr")
  cp -a "$base/." "$mnt/"
  log "$image: apt-get install $(packages_of "$image")"
  if ! run_with_progress "$image" "$work/$image.log" install_image "$mnt" "$image"; then
    tail -n 30 "$work/$image.log" >&2
    die "installing the packages of the $image image failed"
  fi
  keep_debs "$mnt" "$work/debs"
  check_trust "$mnt"
  chroot "$mnt" dpkg-query -W -f '${Package}\t${Version}\n' | LC_ALL=C sort >"$out/$image.packages"
  slim "$mnt"
  buildah umount "$ctr" >/dev/null
  while read -r var; do env_args+=(--env "$var"); done < <(env_of "$image")
  local about="Debian $SUITE minbase with $(packages_of "$image") and ca-certificates"
  buildah config "${env_args[@]}" --cmd "$(cmd_of "$image")" --created-by "scripts/setup/base-images.sh" \
    --label "org.opencontainers.image.title=polyglot-cd $image base (Debian $SUITE)" \
    --label "org.opencontainers.image.description=$about" \
    --label "io.github.polyglot-cd.base-images.key=$KEY" "$ctr"
  buildah commit --quiet --rm --format oci --disable-compression=false "$ctr" \
    "oci-archive:$out/$image.tar:polyglot-cd/$image:$SUITE" >/dev/null
  log "$image: $(du -h "$out/$image.tar" | cut -f1) ($(wc -l <"$out/$image.packages") packages)" \
    "in $(( SECONDS - start ))s"
}

build_all() { # <dir>
  local dir=$1 tmp image start=$SECONDS
  [ "$(id -u)" -eq 0 ] || die "debootstrap and chroot need root"
  command -v debootstrap >/dev/null 2>&1 ||
    die "debootstrap is not installed (Debian package debootstrap; bash scripts/bootstrap.sh installs it)"
  command -v buildah >/dev/null 2>&1 || die "buildah is not installed (Debian package buildah)"
  mkdir -p "$CACHE_ROOT"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-$KEY.XXXXXX")
  TMP_DIRS+=("$tmp")
  mkdir -p "$tmp/out" "$tmp/storage" "$tmp/runroot"
  printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$tmp/storage" "$tmp/runroot" \
    >"$tmp/storage.conf"
  export CONTAINERS_STORAGE_CONF=$tmp/storage.conf BUILDAH_ISOLATION=chroot
  log "building the base images $KEY (Debian $SUITE; a few minutes the first time)"
  make_minbase "$tmp/minbase" "$tmp"
  for image in "${IMAGES[@]}"; do build_image "$image" "$tmp/minbase" "$tmp" "$tmp/out"; done
  key_material >"$tmp/out/key"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$tmp/out" "$dir"
  # the package cache keeps what this build used, nothing older
  rm -rf "$DEB_CACHE"
  mv "$tmp/debs" "$DEB_CACHE" 2>/dev/null || true
  log "base images ready in $(( SECONDS - start ))s: $dir"
}

is_current() {
  local image
  [ -f "$DIR/key" ] && [ "$(cat "$DIR/key")" = "$(key_material)" ] || return 1
  for image in "${IMAGES[@]}"; do [ -s "$DIR/$image.tar" ] && [ -s "$DIR/$image.packages" ] || return 1; done
}

KEY=$SUITE-$(key_material | sha256sum | cut -c1-16)
DIR=$CACHE_ROOT/$KEY

ensure() {
  is_current && return 0
  locked "$KEY" is_current build_all "$DIR"
}

case "${1:-}" in
  "") ensure ;;
  --print)
    ensure
    echo "$DIR"
    ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "usage: $0 [--print]" ;;
esac
