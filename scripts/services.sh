#!/usr/bin/env bash
# Test servers on loopback for `npm test`: Redis 127.0.0.1:6379, NATS with JetStream 127.0.0.1:4222,
# moto_server (SNS/SQS) 127.0.0.1:4566, and Chromium (/usr/bin/chromium) for the end-to-end tests.
#
#   bash scripts/services.sh up      # use what already answers; start what is installed; install (root) what is missing
#   bash scripts/services.sh status  # what answers, and what this script started
#   bash scripts/services.sh down    # stop only what this script started
#
# A server that already answers is left alone (and never stopped by `down`). Logs, data and the pids of what
# this script started live in tmp/services/.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE_DIR="${SERVICES_STATE_DIR:-$PWD/tmp/services}"
# The ports are fixed for the tests; the overrides only let this script be tried out beside running servers.
REDIS_PORT="${SERVICES_REDIS_PORT:-6379}"
NATS_PORT="${SERVICES_NATS_PORT:-4222}"
MOTO_PORT="${SERVICES_MOTO_PORT:-4566}"
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-30}"
CHROMIUM="/usr/bin/chromium"
APT_UPDATED=0
FAILED=()

say() { printf '%-9s %s\n' "$1" "$2"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_answers() {
  port_open "$REDIS_PORT" || return 1
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3) 2>/dev/null)" || return 1
  [[ "$reply" == "+PONG" || "$reply" == "-NOAU" ]]
}
# The INFO line a NATS server greets every client with (it says whether JetStream is on).
nats_banner() { (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT" && timeout 2 head -n 1 <&3) 2>/dev/null; }
nats_answers() { port_open "$NATS_PORT" && [[ "$(nats_banner)" == INFO* ]]; }
nats_has_jetstream() { [[ "$(nats_banner)" == *'"jetstream":true'* ]]; }
moto_answers() { port_open "$MOTO_PORT" && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$MOTO_PORT/moto-api/" 2>/dev/null; }
chromium_answers() { [[ -x "$CHROMIUM" ]] && "$CHROMIUM" --version >/dev/null 2>&1; }

wait_until() {
  local check="$1" deadline=$((SECONDS + WAIT_SECONDS))
  until "$check"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# apt-get install, when this is a Debian-like machine and we are root; otherwise a clear failure.
install_package() {
  local service="$1" package="$2"
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    say "$service" "MISSING: '$package' is not installed and this script can only install it as root with apt-get (run: sudo apt-get install -y $package)"
    return 1
  fi
  say "$service" "installing the Debian package $package (apt-get)"
  if ((APT_UPDATED == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$STATE_DIR/apt.log" 2>&1 || true
    APT_UPDATED=1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >>"$STATE_DIR/apt.log" 2>&1; then
    say "$service" "MISSING: apt-get install $package failed (see $STATE_DIR/apt.log)"
    return 1
  fi
}

# Runs a server in the background with its output in tmp/services/<name>.log, and records its pid.
start_background() {
  local name="$1"
  shift
  nohup "$@" >"$STATE_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/$name.pid"
}

up_redis() {
  if redis_answers; then say redis "already available on 127.0.0.1:$REDIS_PORT"; return; fi
  if port_open "$REDIS_PORT"; then say redis "FAILED: something that is not Redis holds 127.0.0.1:$REDIS_PORT"; return 1; fi
  command -v redis-server >/dev/null || install_package redis redis-server || return 1
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" --dir "$STATE_DIR" >/dev/null
  wait_until redis_answers || { say redis "FAILED: started, but 127.0.0.1:$REDIS_PORT did not answer within ${WAIT_SECONDS}s (see $STATE_DIR/redis.log)"; return 1; }
  say redis "started on 127.0.0.1:$REDIS_PORT (log: $STATE_DIR/redis.log)"
}

up_nats() {
  if nats_answers; then
    if ! nats_has_jetstream; then say nats "FAILED: the NATS on 127.0.0.1:$NATS_PORT runs without JetStream (start it with -js)"; return 1; fi
    say nats "already available on 127.0.0.1:$NATS_PORT (JetStream on)"
    return
  fi
  if port_open "$NATS_PORT"; then say nats "FAILED: something that is not NATS holds 127.0.0.1:$NATS_PORT"; return 1; fi
  command -v nats-server >/dev/null || install_package nats nats-server || return 1
  mkdir -p "$STATE_DIR/nats-data"
  start_background nats nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$STATE_DIR/nats-data"
  wait_until nats_answers || { say nats "FAILED: started, but 127.0.0.1:$NATS_PORT did not answer within ${WAIT_SECONDS}s (see $STATE_DIR/nats.log)"; return 1; }
  say nats "started on 127.0.0.1:$NATS_PORT with JetStream (log: $STATE_DIR/nats.log)"
}

up_moto() {
  if moto_answers; then say moto "already available on 127.0.0.1:$MOTO_PORT"; return; fi
  if port_open "$MOTO_PORT"; then say moto "FAILED: something that is not moto_server holds 127.0.0.1:$MOTO_PORT"; return 1; fi
  if ! command -v moto_server >/dev/null; then
    say moto "MISSING: moto_server is not installed (it is Python: pip install 'moto[server]')"
    return 1
  fi
  start_background moto moto_server -H 127.0.0.1 -p "$MOTO_PORT"
  wait_until moto_answers || { say moto "FAILED: started, but 127.0.0.1:$MOTO_PORT did not answer within ${WAIT_SECONDS}s (see $STATE_DIR/moto.log)"; return 1; }
  say moto "started on 127.0.0.1:$MOTO_PORT (log: $STATE_DIR/moto.log)"
}

up_chromium() {
  if chromium_answers; then say chromium "available: $("$CHROMIUM" --version 2>/dev/null)"; return; fi
  install_package chromium chromium || return 1
  chromium_answers || { say chromium "FAILED: installed, but $CHROMIUM --version does not run"; return 1; }
  say chromium "installed: $("$CHROMIUM" --version 2>/dev/null)"
}

# The pid this script recorded for a service, when that process still runs the server it started.
own_pid() {
  local name="$1" binary="$2" pid
  [[ -f "$STATE_DIR/$name.pid" ]] || return 1
  pid="$(cat "$STATE_DIR/$name.pid")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$binary" || return 1
  echo "$pid"
}

down_one() {
  local name="$1" binary="$2" pid
  if ! pid="$(own_pid "$name" "$binary")"; then
    rm -f "$STATE_DIR/$name.pid"
    say "$name" "not started by this script; left alone"
    return
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do [[ -e "/proc/$pid" ]] || break; sleep 0.1; done
  [[ -e "/proc/$pid" ]] && kill -9 "$pid" 2>/dev/null || true
  rm -f "$STATE_DIR/$name.pid"
  say "$name" "stopped (pid $pid)"
}

status_one() {
  local name="$1" binary="$2" check="$3" where="$4" owner=""
  if own_pid "$name" "$binary" >/dev/null; then owner=" (started by services.sh)"; fi
  if "$check"; then say "$name" "available on $where$owner"; else say "$name" "NOT available on $where"; fi
}

run_up() {
  up_redis || FAILED+=(redis)
  up_nats || FAILED+=(nats)
  up_moto || FAILED+=(moto)
  up_chromium || FAILED+=(chromium)
  if ((${#FAILED[@]} > 0)); then
    echo "services.sh: not available: ${FAILED[*]} (the tests need every one of them)" >&2
    exit 1
  fi
}

mkdir -p "$STATE_DIR"
case "${1:-}" in
  up) run_up ;;
  status)
    status_one redis redis-server redis_answers 127.0.0.1:$REDIS_PORT
    status_one nats nats-server nats_answers 127.0.0.1:$NATS_PORT
    status_one moto moto_server moto_answers 127.0.0.1:$MOTO_PORT
    if chromium_answers; then say chromium "available: $CHROMIUM"; else say chromium "NOT available: $CHROMIUM"; fi
    ;;
  down)
    down_one moto moto_server
    down_one nats nats-server
    down_one redis redis-server
    ;;
  *)
    echo "usage: bash scripts/services.sh up|status|down" >&2
    exit 2
    ;;
esac
