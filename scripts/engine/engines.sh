# shellcheck shell=bash disable=SC2034
# Shared by scripts/engine/{podman,rootless,ssh}-{up,down}: the other engines the
# tutor is tested on (docs/test-engines.md). Sourced, not run.
#
# Each engine keeps its own state dir under $ENGINES_STATE and listens on loopback
# or a socket file only. None of them touches THE test engine (scripts/engine-up):
# they only pull from its mirror registry on 127.0.0.1:5555.

ENGINES_STATE=${TUTOR_ENGINES_STATE:-/var/lib/docker-tutor-engines}

# lib.sh gives logging, spawn, stop_pid, read_pidfile, run; pointed at this engine's
# own state dir (its log and lock), never at the main engine's.
# usage: engine_lib NAME  (from the sourcing script's directory)
engine_lib() {
  local name=$1 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  TUTOR_ENGINE_STATE=$ENGINES_STATE/$name
  # shellcheck source-path=SCRIPTDIR
  . "$here/lib.sh"
  # lib.sh points every docker call at the main engine; these scripts say where.
  unset DOCKER_HOST
}

# Pulls that miss the mirror fall back to Docker Hub; a closed loopback port as the
# proxy makes that fail at once (the same guard as the main engine's).
DEAD_PROXY=http://127.0.0.1:9
NO_PROXY_LIST=localhost,127.0.0.0/8,::1

# ensure_engine_packages PKG... : apt-get install what is missing (no daemons started).
ensure_engine_packages() {
  local need=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
  done
  ((${#need[@]})) || return 0
  log "packages: installing ${need[*]}"
  local policy=/usr/sbin/policy-rc.d added=0 rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; added=1
  fi
  (
    export DEBIAN_FRONTEND=noninteractive
    run "apt-get update" apt-get update -q
    run "apt-get install" apt-get install -y -q --no-install-recommends "${need[@]}"
  ) || rc=$?
  ((added)) && rm -f "$policy"
  ((rc == 0)) || exit "$rc"
}

# wait_for_docker HOST SECONDS [PID]: until `docker info` answers on HOST.
wait_for_docker() {
  local host=$1 seconds=$2 pid=${3:-} i
  for ((i = 0; i < seconds * 5; i++)); do
    DOCKER_HOST=$host timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1 && return 0
    if [[ -n $pid ]] && ! pid_alive "$pid"; then return 1; fi
    sleep 0.2
  done
  return 1
}

# make_test_user NAME: a user for one engine, without a password (no login but by key).
make_test_user() {
  local name=$1
  if ! id "$name" >/dev/null 2>&1; then
    log "user: creating $name"
    useradd --create-home --shell /bin/bash --comment "docker-tutor test engine" "$name"
  fi
  # "*": no password can match, yet not "locked" (sshd refuses locked accounts)
  usermod -p '*' "$name"
}
