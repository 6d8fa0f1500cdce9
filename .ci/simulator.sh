# Sourced by the .ci scripts: where cargo puts what it builds, and starts the simulator in the
# background on a free 127.0.0.1 port, stopping it when the script exits.
#
#   $TARGET_DIR, $BIN                        # cargo's target directory, and its debug/ folder
#   start_simulator [SIMULATOR OPTIONS...]   # sets SIMULATOR_URL (ends in /api/space)

# Wherever CARGO_TARGET_DIR or a config puts it: cargo says where.
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET_DIR/debug"

SIMULATOR_PIDS=()

stop_simulators() {
  for pid in "${SIMULATOR_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_simulators EXIT

start_simulator() {
  local log
  log="$(mktemp)"
  # Port 0: the kernel picks a free port, so parallel runs never collide; the simulator
  # prints the URL it got on its first line.
  "$BIN/junos-space-simulator" --port 0 "$@" 2>"$log" &
  SIMULATOR_PIDS+=("$!")
  for _ in $(seq 1 100); do
    SIMULATOR_URL="$(sed -n 's/^Junos Space simulator at \([^ ]*\) .*/\1/p' "$log")"
    if [ -n "$SIMULATOR_URL" ]; then
      export SIMULATOR_URL
      return 0
    fi
    kill -0 "${SIMULATOR_PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "the simulator did not start:" >&2
  cat "$log" >&2
  return 1
}
