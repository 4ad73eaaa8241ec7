# Shared by the tool builds of scripts/setup/ (helm.sh, trivy.sh, cosign.sh) and test/sigstore/fulcio.sh.
# Source it after defining log() and CACHE_ROOT.

# Runs a command in the background, printing a progress line every 30 s; returns its exit code.
run_with_progress() { # <what> <log file> <command…>
  local what=$1 logf=$2 pid start now elapsed line last=0 rc=0
  shift 2
  "$@" >"$logf" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    now=$SECONDS; elapsed=$(( now - start ))
    if [ $(( elapsed - last )) -ge 30 ]; then
      last=$elapsed
      line=$(tail -n1 "$logf" 2>/dev/null | cut -c1-100)
      log "$what: still building (${elapsed}s)${line:+; $line}"
    fi
  done
  wait "$pid" || rc=$?
  trap - INT TERM
  return "$rc"
}

# Takes the lock $CACHE_ROOT/<name>.lock; runs <check> again under it, and <build…> if it still fails:
# concurrent runs build once, the others wait and then find it built.
locked() { # <lock name> <check command> <build command…>
  local name=$1 check=$2
  shift 2
  mkdir -p "$CACHE_ROOT"
  exec {lock_fd}>"$CACHE_ROOT/$name.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -n "$lock_fd" || { log "waiting for another run building $name"; flock "$lock_fd"; }
  else
    log "warning: flock not found; concurrent runs are not serialised"
  fi
  if ! $check; then "$@"; fi
  exec {lock_fd}>&-
}
