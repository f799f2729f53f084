# shellcheck shell=bash disable=SC2034
# Shared helpers for the docker-tutor test engine scripts.
# Sourced by scripts/engine/{up,down,verify,status}; not meant to be run.

# ---- settings (env overrides) ---------------------------------------------
ENGINE_STATE=${TUTOR_ENGINE_STATE:-/var/lib/docker-tutor-engine}
ENGINE_CACHE=${TUTOR_ENGINE_CACHE:-/var/cache/docker-tutor-engine}
MIRROR_ADDR=127.0.0.1:5555            # local registry used as Docker Hub mirror
MIRROR_URL=http://$MIRROR_ADDR
ENGINE_SOCK=/var/run/docker.sock
ENGINE_DOCKER_HOST=unix://$ENGINE_SOCK
DEBIAN_SUITE=bookworm                 # python:3.11 stand-in needs bookworm's 3.11
# Bump when an image recipe changes: invalidates cached rootfs tarballs and
# makes engine-up re-seed (the marker tag below is looked up in the registry).
RECIPE_VERSION=1

# Every docker call in these scripts goes to the engine we manage.
export DOCKER_HOST=$ENGINE_DOCKER_HOST
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
# The 28.x client has no buildx here; nothing below uses `docker build`.
export DOCKER_CLI_HINTS=false

REGISTRY_PIDFILE=$ENGINE_STATE/registry.pid
DOCKERD_PIDFILE=$ENGINE_STATE/dockerd.pid
# the pid files dockerd and its containerd write themselves (ours via daemon.json)
DOCKERD_OWN_PIDFILE=$ENGINE_STATE/dockerd.daemon.pid
DOCKERD_DEFAULT_PIDFILE=/var/run/docker.pid
CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
REGISTRY_LOG=$ENGINE_STATE/registry.log
DOCKERD_LOG=$ENGINE_STATE/dockerd.log
STEP_LOG=$ENGINE_STATE/engine.log      # full output of every command we ran

LOG_PREFIX=${LOG_PREFIX:-engine}
QUIET=${QUIET:-0}

# ---- logging ----------------------------------------------------------------
log()  { [[ $QUIET == 1 ]] || printf '%s: %s\n' "$LOG_PREFIX" "$*" >&2; _logfile "$*"; }
warn() { printf '%s: WARNING: %s\n' "$LOG_PREFIX" "$*" >&2; _logfile "WARNING: $*"; }
die()  { printf '%s: ERROR: %s\n' "$LOG_PREFIX" "$*" >&2; _logfile "ERROR: $*"; exit 1; }
_logfile() {
  [[ -d $ENGINE_STATE ]] || return 0
  printf '%s %s: %s\n' "$(date -u +%FT%TZ)" "$LOG_PREFIX" "$*" >>"$STEP_LOG" 2>/dev/null || true
}

# run DESC CMD...: run CMD with its output captured; on failure print DESC,
# the exit code and the tail of the output, then exit non-zero.
run() {
  local desc=$1; shift
  local out rc=0
  out=$(mktemp "$ENGINE_STATE/tmp/run.XXXXXX")
  { printf '%s $ %s\n' "$(date -u +%FT%TZ)" "$*"; } >>"$STEP_LOG"
  "$@" >"$out" 2>&1 </dev/null || rc=$?
  cat "$out" >>"$STEP_LOG"
  if (( rc != 0 )); then
    printf '%s: ERROR: %s failed (exit %d): %s\n' "$LOG_PREFIX" "$desc" "$rc" "$*" >&2
    printf '%s: ---- last output lines ----\n' "$LOG_PREFIX" >&2
    tail -n 40 "$out" | sed "s/^/$LOG_PREFIX: | /" >&2
    printf '%s: (full log: %s)\n' "$LOG_PREFIX" "$STEP_LOG" >&2
    rm -f "$out"
    exit "$rc"
  fi
  rm -f "$out"
}

# capture VAR CMD...: like run, but stores the command's stdout in VAR.
capture() {
  local __cap_var=$1; shift
  local __cap_out __cap_err __cap_rc=0
  __cap_out=$(mktemp "$ENGINE_STATE/tmp/cap.XXXXXX"); __cap_err=$(mktemp "$ENGINE_STATE/tmp/cap.XXXXXX")
  "$@" >"$__cap_out" 2>"$__cap_err" </dev/null || __cap_rc=$?
  { printf '%s $ %s\n' "$(date -u +%FT%TZ)" "$*"; cat "$__cap_out" "$__cap_err"; } >>"$STEP_LOG"
  if ((__cap_rc != 0)); then
    printf '%s: ERROR: command failed (exit %d): %s\n' "$LOG_PREFIX" "$__cap_rc" "$*" >&2
    cat "$__cap_err" "$__cap_out" | tail -n 40 | sed "s/^/$LOG_PREFIX: | /" >&2
    rm -f "$__cap_out" "$__cap_err"
    exit "$__cap_rc"
  fi
  # (locals are prefixed so the caller's variable is not shadowed)
  printf -v "$__cap_var" '%s' "$(cat "$__cap_out")"
  rm -f "$__cap_out" "$__cap_err"
}

ensure_dirs() {
  mkdir -p "$ENGINE_STATE/tmp" "$ENGINE_STATE/registry" "$ENGINE_CACHE"
  chmod 700 "$ENGINE_STATE"
}

# take_lock: serialise concurrent engine-up/down runs.
take_lock() {
  exec 9>"$ENGINE_STATE/lock"
  if ! flock -n 9; then
    log "another engine-up/down is running; waiting for it"
    flock -w 1800 9 || die "timed out waiting for $ENGINE_STATE/lock"
  fi
}

# ---- processes ---------------------------------------------------------------
pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

# read_pidfile FILE [COMM]: print the pid in FILE if that process is alive
# (and, when COMM is given, really is that program, not a reused pid).
read_pidfile() {
  local f=$1 comm=${2:-} pid
  [[ -s $f ]] || return 1
  pid=$(tr -dc '0-9' <"$f")
  pid_alive "$pid" || return 1
  if [[ -n $comm && $(cat "/proc/$pid/comm" 2>/dev/null) != "${comm:0:15}" ]]; then return 1; fi
  printf '%s\n' "$pid"
}

# spawn LOG CMD...: start CMD as a daemon in its own session, output appended
# to LOG, with every inherited descriptor above 2 closed (our lock fd, and any
# pipe of the caller/CI, must not be held open by the daemon). Sets SPAWNED_PID.
spawn() {
  local log=$1; shift
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" >>"$log" 2>&1 </dev/null
  ) &
  SPAWNED_PID=$!
}

# stop_pid PID NAME TIMEOUT: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local pid=$1 name=$2 timeout=${3:-30} i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  warn "$name (pid $pid) did not stop after ${timeout}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_alive "$pid" || return 0; sleep 0.1; done
  die "could not stop $name (pid $pid)"
}

# clear_stale_pidfiles FILE:COMM...: a pidfile left by a dockerd or containerd
# that did not stop cleanly (machine restored, process killed) can name a pid
# that now belongs to another program; dockerd would then wait for that
# "containerd" until it times out, or refuse to start. Remove every FILE whose
# pid is not a running COMM; a live containerd of ours is kept and reused.
clear_stale_pidfiles() {
  local entry f comm
  for entry in "$@"; do
    comm=${entry##*:} f=${entry%:*}
    [[ -e $f ]] || continue
    if ! read_pidfile "$f" "$comm" >/dev/null; then
      log "removing stale pidfile $f (pid $(tr -dc '0-9' <"$f") is not a running $comm)"
      rm -f "$f"
    fi
  done
}

# ---- health checks -------------------------------------------------------------
registry_ok() { curl -fsS -m 3 -o /dev/null "$MIRROR_URL/v2/" 2>/dev/null; }

docker_ok() { timeout 10 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

docker_mirrors() { timeout 10 docker info --format '{{json .RegistryConfig.Mirrors}}' 2>/dev/null; }

docker_has_mirror() { docker_mirrors | grep -qF "$MIRROR_ADDR"; }

# registry_has_tag NAME TAG: does the mirror serve library/NAME:TAG?
registry_has_tag() {
  curl -fsS -m 5 "$MIRROR_URL/v2/library/$1/tags/list" 2>/dev/null | grep -qF "\"$2\""
}

# ---- tail helpers for failures ------------------------------------------------
show_tail() { # show_tail FILE TITLE
  [[ -f $1 ]] || return 0
  printf '%s: ---- %s (last 30 lines of %s) ----\n' "$LOG_PREFIX" "$2" "$1" >&2
  tail -n 30 "$1" | sed "s/^/$LOG_PREFIX: | /" >&2
}
