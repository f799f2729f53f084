# shellcheck shell=bash
# Stand-in images for the lessons, built only from Debian packages and pushed
# into the local mirror registry as library/NAME:TAG.  Sourced by
# scripts/engine/up and scripts/engine/verify (needs lib.sh first).
#
#   busybox   : static /bin/busybox (busybox-static) + applet symlinks
#   python    : debootstrap --variant=minbase bookworm + python3, pip, flask
#   registry  : Debian's docker-registry binary on the busybox rootfs, laid
#               out like the official registry:2 image
#
# Images are made with `docker import` (one layer, config via --change), so no
# builder is needed: the 28.x client here has no buildx plugin.

PYTHON_INCLUDES=python3,python3-pip,python3-flask,python-is-python3,ca-certificates
STANDARD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
IMPORT_MSG="docker-tutor stand-in image built from Debian packages (not the Docker Hub image)"

# ---- versions ----------------------------------------------------------------
busybox_version() { # 1.35.0
  /bin/busybox 2>/dev/null | head -n 1 | sed -n 's/^BusyBox v\([0-9][0-9.]*\).*/\1/p'
}
registry_version() { # 2.8.2
  docker-registry --version 2>/dev/null | awk '{print $NF}' | sed 's/[+~-].*//'
}
minor_of() { printf '%s\n' "$1" | cut -d. -f1,2; }

busybox_tags()  { local v; v=$(busybox_version); echo "latest $(minor_of "$v") $v"; }
registry_tags() { local v; v=$(registry_version); echo "2 $(minor_of "$v") $v latest"; }
# python's exact version is only known once the rootfs exists; these are the
# tags checked for "already seeded" (the exact-version tags are pushed too).
python_tags()   { echo "3.11-slim 3.11 3-slim 3.11-slim-$DEBIAN_SUITE"; }

# ---- seeding bookkeeping -----------------------------------------------------
marker_file() { echo "$ENGINE_STATE/registry/.seeded-$1"; }

# already_seeded NAME TAGS...: every tag is in the registry and our marker
# says it was built with the current recipe.
already_seeded() {
  local name=$1 tag; shift
  for tag in "$@"; do registry_has_tag "$name" "$tag" || return 1; done
  # A registry on :5555 that we did not start has no marker: trust the tags.
  [[ -d $ENGINE_STATE/registry/docker ]] || return 0
  [[ $(cat "$(marker_file "$name")" 2>/dev/null) == "$RECIPE_VERSION" ]]
}

# push_image NAME TAGS...: push local NAME:TAG to the mirror as library/NAME:TAG.
push_image() {
  local name=$1 tag remote; shift
  for tag in "$@"; do
    remote=$MIRROR_ADDR/library/$name:$tag
    run "tag $name:$tag" docker tag "$name:$tag" "$remote"
    run "push $remote" docker push "$remote"
    run "untag $remote" docker rmi "$remote"
  done
  echo "$RECIPE_VERSION" >"$(marker_file "$name")"
}

# import_image TAR NAME TAGS... -- CHANGES...: docker import, then extra tags.
import_image() {
  local tar=$1 name=$2; shift 2
  local tags=() changes=() a
  while (($#)); do a=$1; shift; [[ $a == -- ]] && break; tags+=("$a"); done
  for a in "$@"; do changes+=(--change "$a"); done
  run "import $name:${tags[0]}" docker import -m "$IMPORT_MSG" "${changes[@]}" "$tar" "$name:${tags[0]}"
  for a in "${tags[@]:1}"; do run "tag $name:$a" docker tag "$name:${tags[0]}" "$name:$a"; done
}

# make_tar DIR OUT: reproducible-ish rootfs tarball (root-owned, no /dev,/proc,/sys content).
make_tar() {
  local dir=$1 out=$2
  run "tar rootfs $dir" tar --numeric-owner --sort=name \
    --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* \
    --exclude=./run/* --exclude=./tmp/* \
    -C "$dir" -cf "$out.tmp" .
  mv -f "$out.tmp" "$out"
}

# unmount_below DIR: lazily unmount whatever a (failed) debootstrap left
# mounted at or below DIR (/proc, /sys, maybe a bind of /dev).
unmount_below() {
  local dir=$1 m
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
}

# safe_rmtree DIR: unmount below DIR, refuse to continue if anything stays
# mounted, then delete without crossing into other filesystems.
safe_rmtree() {
  local dir=$1
  [[ -n $dir && $dir != / && -e $dir ]] || return 0
  unmount_below "$dir"
  if awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; then
    die "something is still mounted below $dir; not deleting it"
  fi
  rm -rf --one-file-system "$dir"
}

# ---- busybox -----------------------------------------------------------------
# busybox_rootfs DIR: /bin/busybox + one symlink per applet, minimal /etc.
busybox_rootfs() {
  local dir=$1 a
  [[ -x /bin/busybox ]] || die "/bin/busybox missing (package busybox-static)"
  file_is_static /bin/busybox || die "/bin/busybox is not statically linked (install busybox-static)"
  mkdir -p "$dir"/{bin,etc,root,tmp,home,var/spool/mail,var/www,usr/bin,usr/sbin,sbin}
  chmod 1777 "$dir/tmp"; chmod 700 "$dir/root"
  cp /bin/busybox "$dir/bin/busybox"
  for a in $(/bin/busybox --list); do
    [[ $a == busybox || -e $dir/bin/$a ]] || ln -s busybox "$dir/bin/$a"
  done
  cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
  cat >"$dir/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:
www-data:x:33:
users:x:100:
nogroup:x:65534:
EOF
  : >"$dir/etc/shadow"; chmod 600 "$dir/etc/shadow"
  while IFS=: read -r a _; do echo "$a:*:19000:0:99999:7:::" >>"$dir/etc/shadow"; done <"$dir/etc/passwd"
}

file_is_static() { ! LC_ALL=C ldd "$1" >/dev/null 2>&1; }

busybox_tar() { # prints path of the cached rootfs tarball, building it if needed
  local v out dir
  v=$(busybox_version); [[ -n $v ]] || die "cannot read busybox version from /bin/busybox"
  out=$ENGINE_CACHE/busybox-$v-r$RECIPE_VERSION.tar
  if [[ ! -s $out ]]; then
    dir=$ENGINE_CACHE/build/busybox
    safe_rmtree "$dir"
    busybox_rootfs "$dir"
    make_tar "$dir" "$out"
    safe_rmtree "$dir"
  fi
  echo "$out"
}

seed_busybox() {
  local tags tar
  read -ra tags <<<"$(busybox_tags)"
  if [[ ${FORCE_SEED:-0} != 1 ]] && already_seeded busybox "${tags[@]}"; then
    log "busybox: mirror already has ${tags[*]} (skip)"; return 0
  fi
  log "busybox: building from busybox-static $(busybox_version)"
  tar=$(busybox_tar)
  import_image "$tar" busybox "${tags[@]}" -- 'CMD ["sh"]'
  verify_busybox
  log "busybox: pushing ${tags[*]} to $MIRROR_ADDR"
  push_image busybox "${tags[@]}"
}

verify_busybox() {
  local out kernel
  capture out docker run --rm busybox echo ok
  [[ $out == ok ]] || die "verify busybox: 'echo ok' printed '$out'"
  capture kernel docker run --rm busybox uname -r
  [[ -n $kernel ]] || die "verify busybox: 'uname -r' printed nothing"
  capture out docker run --rm busybox sh -c 'ls /bin | wc -l'
  (( out > 100 )) || die "verify busybox: only $out applets in /bin"
  log "busybox: verified (echo ok, uname -r = $kernel, $out applets)"
}

# ---- registry:2 -------------------------------------------------------------------
registry_tar() {
  local v out dir lib
  v=$(registry_version); [[ -n $v ]] || die "cannot read docker-registry version"
  out=$ENGINE_CACHE/registry-$v-busybox-$(busybox_version)-r$RECIPE_VERSION.tar
  if [[ ! -s $out ]]; then
    dir=$ENGINE_CACHE/build/registry
    safe_rmtree "$dir"
    busybox_rootfs "$dir"
    cp /usr/bin/docker-registry "$dir/bin/registry"
    # the Debian binary is dynamically linked: copy what ldd lists
    while read -r lib; do
      mkdir -p "$dir$(dirname "$lib")"
      cp -L "$lib" "$dir$lib"
    done < <(ldd /usr/bin/docker-registry | grep -o '/[^ ]*' | sort -u)
    mkdir -p "$dir/etc/docker/registry" "$dir/var/lib/registry" "$dir/etc/ssl/certs"
    [[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/"
    cat >"$dir/etc/docker/registry/config.yml" <<'EOF'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
    # same entrypoint logic as the official image
    cat >"$dir/entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
case "$1" in
    *.yaml|*.yml) set -- registry serve "$@" ;;
    serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
EOF
    chmod 755 "$dir/entrypoint.sh"
    make_tar "$dir" "$out"
    safe_rmtree "$dir"
  fi
  echo "$out"
}

seed_registry() {
  local tags tar
  read -ra tags <<<"$(registry_tags)"
  if [[ ${FORCE_SEED:-0} != 1 ]] && already_seeded registry "${tags[@]}"; then
    log "registry: mirror already has ${tags[*]} (skip)"; return 0
  fi
  log "registry: building from docker-registry $(registry_version)"
  tar=$(registry_tar)
  import_image "$tar" registry "${tags[@]}" -- \
    'ENTRYPOINT ["/entrypoint.sh"]' 'CMD ["/etc/docker/registry/config.yml"]' \
    'EXPOSE 5000' 'VOLUME ["/var/lib/registry"]' "ENV PATH=$STANDARD_PATH"
  verify_registry
  log "registry: pushing ${tags[*]} to $MIRROR_ADDR"
  push_image registry "${tags[@]}"
}

VERIFY_REGISTRY_NAME=docker-tutor-engine-verify-registry
verify_registry() {
  local out i
  docker rm -f "$VERIFY_REGISTRY_NAME" >/dev/null 2>&1 || true
  run "start registry:2 test container" docker run -d --name "$VERIFY_REGISTRY_NAME" -p 127.0.0.1:5051:5000 registry:2
  for ((i = 0; i < 100; i++)); do
    curl -fsS -m 2 -o /dev/null http://127.0.0.1:5051/v2/ 2>/dev/null && break
    sleep 0.1
  done
  if ! curl -fsS -m 2 -o /dev/null http://127.0.0.1:5051/v2/; then
    docker logs "$VERIFY_REGISTRY_NAME" 2>&1 | tail -n 20 | sed "s/^/$LOG_PREFIX: | /" >&2
    docker rm -f "$VERIFY_REGISTRY_NAME" >/dev/null 2>&1 || true
    die "verify registry: registry:2 container does not answer on 127.0.0.1:5051"
  fi
  run "tag busybox for test push" docker tag busybox:latest 127.0.0.1:5051/test:1
  run "push to registry:2 container" docker push 127.0.0.1:5051/test:1
  capture out curl -fsS -m 5 http://127.0.0.1:5051/v2/test/tags/list
  docker rmi 127.0.0.1:5051/test:1 >/dev/null 2>&1 || true
  run "remove registry:2 test container" docker rm -f -v "$VERIFY_REGISTRY_NAME"
  [[ $out == *'"1"'* ]] || die "verify registry: tags/list shows '$out'"
  log "registry: verified (push to 127.0.0.1:5051/test:1, tags/list = $out)"
}

# ---- python:3.11-slim --------------------------------------------------------------
# debian_mirror: the Debian archive URI apt uses for $DEBIAN_SUITE (one-line
# sources.list or deb822 .sources), overridable with TUTOR_ENGINE_DEBIAN_MIRROR.
debian_mirror() {
  local m=${TUTOR_ENGINE_DEBIAN_MIRROR:-} f
  if [[ -z $m ]]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] || continue
      m=$(awk -v s="$DEBIAN_SUITE" '
        $1 == "deb" { i = 2
          if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == s && $i ~ /debian\/?$/) { print $i; exit } }' "$f")
      [[ -n $m ]] && break
    done
  fi
  if [[ -z $m ]]; then
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      m=$(awk -v s="$DEBIAN_SUITE" '
        BEGIN { RS = ""; IGNORECASE = 1 }
        { types = uris = suites = ""; enabled = 1
          n = split($0, L, "\n")
          for (j = 1; j <= n; j++) {
            line = L[j]; if (line ~ /^#/) continue
            k = tolower(line); sub(/:.*/, "", k); v = line; sub(/^[^:]*:[ \t]*/, "", v)
            if (k == "types") types = v; else if (k == "uris") uris = v
            else if (k == "suites") suites = v; else if (k == "enabled" && tolower(v) == "no") enabled = 0
          }
          if (!enabled || (" " types " ") !~ / deb /) next
          if ((" " suites " ") !~ (" " s " ")) next
          split(uris, U, /[ \t]+/); if (U[1] ~ /debian\/?$/) { print U[1]; exit } }' "$f")
      [[ -n $m ]] && break
    done
  fi
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

python_tar() { # prints path of cached rootfs tarball; runs debootstrap if needed
  local key out dir mirror pyver
  key=$(printf '%s|%s|%s|r%s' "$DEBIAN_SUITE" minbase "$PYTHON_INCLUDES" "$RECIPE_VERSION" | sha256sum | cut -c1-12)
  out=$ENGINE_CACHE/python-$DEBIAN_SUITE-$key.tar
  if [[ -s $out && -s $out.version ]]; then
    log "python: using cached rootfs $out"
    echo "$out"; return 0
  fi
  mirror=$(debian_mirror)
  dir=$ENGINE_CACHE/build/python
  safe_rmtree "$dir"
  mkdir -p "$ENGINE_CACHE/debs"
  log "python: debootstrap $DEBIAN_SUITE from $mirror (about a minute)"
  # (python_tar runs in a $(...) subshell: this trap fires when it ends, so a
  # failed debootstrap never leaves /proc or /sys mounted in the build dir)
  trap 'unmount_below "'"$dir"'"' EXIT
  run "debootstrap" debootstrap --variant=minbase --include="$PYTHON_INCLUDES" \
    --cache-dir="$ENGINE_CACHE/debs" "$DEBIAN_SUITE" "$dir" "$mirror"
  # official images let pip install system-wide; flask must be "already satisfied"
  rm -f "$dir"/usr/lib/python3*/EXTERNALLY-MANAGED
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin \
    "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/archives/partial/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian \
    "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/var/lib/dpkg/*-old "$dir"/root/.cache
  find "$dir/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  : >"$dir/etc/resolv.conf"; rm -f "$dir/etc/hostname"  # docker bind-mounts these
  # like the official debian images: no package caches kept by apt
  cat >"$dir/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  pyver=$(awk '/^Package: python3\.[0-9]+$/ { p = 1; next } p && /^Version:/ { print $2; exit } /^$/ { p = 0 }' \
    "$dir/var/lib/dpkg/status" | sed 's/-.*//')
  [[ $pyver == 3.11.* ]] || die "python: expected Python 3.11 in the rootfs, found '$pyver'"
  [[ -x $dir/usr/bin/python ]] || die "python: /usr/bin/python missing (python-is-python3)"
  make_tar "$dir" "$out"
  echo "$pyver" >"$out.version"
  safe_rmtree "$dir"
  log "python: cached rootfs $(du -h "$out" | cut -f1) at $out"
  echo "$out"
}

seed_python() {
  local tags tar pyver
  read -ra tags <<<"$(python_tags)"
  if [[ ${FORCE_SEED:-0} != 1 ]] && already_seeded python "${tags[@]}"; then
    log "python: mirror already has ${tags[*]} (skip)"; return 0
  fi
  tar=$(python_tar)
  pyver=$(cat "$tar.version")
  tags+=("$pyver-slim" "$pyver" "$pyver-slim-$DEBIAN_SUITE")
  log "python: importing Python $pyver rootfs"
  import_image "$tar" python "${tags[@]}" -- \
    "ENV PATH=$STANDARD_PATH" 'ENV LANG=C.UTF-8' "ENV PYTHON_VERSION=$pyver" 'CMD ["python3"]'
  verify_python
  log "python: pushing ${tags[*]} to $MIRROR_ADDR"
  push_image python "${tags[@]}"
}

verify_python() {
  local out
  capture out docker run --rm python:3.11-slim python -c 'import flask, sys; print(sys.version.split()[0], flask.__version__)'
  log "python: verified (python, flask = $out)"
  capture out docker run --rm --network none -w /tmp python:3.11-slim sh -c \
    'printf "flask\n" >requirements.txt && pip install -r requirements.txt && pip install flask'
  [[ $out == *"Requirement already satisfied: flask"* ]] || die "verify python: pip output was: $out"
  log "python: verified (offline 'pip install -r requirements.txt' with flask: already satisfied)"
}

# remove_local NAME TAGS...: drop the local tags so pulls must use the mirror.
remove_local() {
  local name=$1 tag; shift
  for tag in "$@"; do
    docker image inspect "$name:$tag" >/dev/null 2>&1 || continue
    docker rmi "$name:$tag" >/dev/null 2>>"$STEP_LOG" || warn "could not remove $name:$tag (in use by a container?)"
  done
}
