#!/usr/bin/env bash
# Terminal abuse of the real explorer in tmux (private socket, no config):
#   term_abuse.sh LLMEM resize   hundreds of resizes per second, then it still draws and quits cleanly
#   term_abuse.sh LLMEM tiny     1x1, 2x1, 1x2 and 3x3 terminals: no crash; back at 80x24 it draws again
#   term_abuse.sh LLMEM hup      the tmux session is killed under it (SIGHUP): it goes away, no crash
#   term_abuse.sh LLMEM term     SIGTERM: it exits and the terminal is restored
#   term_abuse.sh LLMEM int      Ctrl-C: it exits and the terminal is restored
# (CI runs resize, tiny and hup; tests/tui/tmux_e2e.sh "signals" covers Ctrl-C,
# SIGTERM and SIGHUP with the terminal still open; term and int stay here for
# manual runs.)
# "Restored" = tmux reports the normal screen (not the alternate one), a
# visible cursor, no mouse reporting, and `stty` shows icanon and echo on.
# Waits are polls with generous bounds (these detect hangs; nothing here
# measures time).
set -u
llmem="$1"; what="$2"
dir="$(mktemp -d /tmp/llmem-abuse.XXXXXX)"
sock="$dir/sock"
T() { tmux -S "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL ($what): $*"; echo "--- screen:"; T capture-pane -p -t t 2>/dev/null | head -n 40; exit 1; }

# The pane runs a wrapper that records how llmem ended, then the terminal
# state as the shell sees it; the wrapper survives SIGHUP long enough to write
# its file (bash runs the trap after the foreground child ends).
cat > "$dir/wrap.sh" <<WRAP
#!/usr/bin/env bash
trap 'echo hup >> "$dir/hup"' HUP
"$llmem" "\$@"
echo "\$?" > "$dir/status.tmp" && mv "$dir/status.tmp" "$dir/status"
stty -a > "$dir/stty" 2>&1
echo READY-AFTER-EXIT
sleep 60
WRAP
chmod +x "$dir/wrap.sh"

start() { # cols rows
  T new-session -d -s t -x "$1" -y "$2" "$dir/wrap.sh" || fail "tmux did not start"
  T set-option -t t -g remain-on-exit on >/dev/null 2>&1
}
wait_for() { # pattern [tries of 0.1 s]
  local n="${2:-100}"
  for ((i = 0; i < n; i++)); do
    T capture-pane -p -t t 2>/dev/null | grep -q -- "$1" && return 0
    sleep 0.1
  done
  return 1
}
wait_file() { local n="${2:-100}"; for ((i = 0; i < n; i++)); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
llmem_pid() { pgrep -P "$(T display -p -t t '#{pane_pid}')" -x llmem 2>/dev/null | head -n1; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
first_frame() { # something drawn: any line with 10+ non-space characters
  for ((i = 0; i < 100; i++)); do
    T capture-pane -p -t t 2>/dev/null | grep -Eq '[^ ]{3,}.*[^ ]{3,}' && return 0
    sleep 0.1
  done
  return 1
}
check_status_clean() { # llmem ended by itself with status 0
  wait_file "$dir/status" 100 || fail "llmem did not exit within 10 s"
  local s; s="$(cat "$dir/status")"
  [ "$s" = 0 ] || fail "llmem exit status $s"
}
check_not_crashed() { # status file says anything but a crash signal
  local s; s="$(cat "$dir/status")"
  case "$s" in 132|133|134|135|136|139|159) fail "llmem crashed: exit status $s (signal $((s - 128)))" ;; esac
}
check_restored() {
  wait_for READY-AFTER-EXIT 100 || fail "the shell did not get the terminal back"
  local f; f="$(T display -p -t t '#{alternate_on} #{cursor_flag} #{mouse_any_flag}')"
  [ "$f" = "0 1 0" ] || fail "terminal not restored: alternate_on cursor_flag mouse_any_flag = $f (want 0 1 0)"
  grep -qw -- '-icanon' "$dir/stty" && fail "terminal left without icanon: $(cat "$dir/stty")"
  grep -qw -- '-echo' "$dir/stty" && fail "terminal left without echo: $(cat "$dir/stty")"
  return 0
}

case "$what" in
resize)
  start 120 36
  first_frame || fail "no first frame at 120x36"
  pid="$(llmem_pid)"; alive "$pid" || fail "llmem not running"
  # 20 batches of 40 resize commands each (one tmux client per batch): 800 resizes.
  for ((b = 0; b < 20; b++)); do
    args=()
    for ((k = 0; k < 40; k++)); do
      args+=(resize-window -t t -x $((RANDOM % 300 + 1)) -y $((RANDOM % 100 + 1)) \;)
      [ $((k % 10)) = 0 ] && args+=(send-keys -t t l \;)
    done
    t0=$(date +%s%N); T "${args[@]}" >/dev/null 2>&1; t1=$(date +%s%N)
    [ "$b" = 0 ] && echo "resize batch of 40: $(((t1 - t0) / 1000000)) ms"
  done
  alive "$pid" || fail "llmem died during the resize storm"
  T resize-window -t t -x 120 -y 36
  sleep 0.5
  first_frame || fail "nothing drawn at 120x36 after the storm"
  T capture-pane -p -t t | grep -qi 'too small' && fail "still says too small at 120x36"
  T send-keys -t t q
  check_status_clean
  check_restored
  ;;
tiny)
  start 1 1
  sleep 1
  pid="$(llmem_pid)"
  alive "$pid" || { wait_file "$dir/status" 10; check_not_crashed; fail "llmem exited at 1x1 (status $(cat "$dir/status" 2>/dev/null))"; }
  for s in "2 1" "1 2" "3 3" "1 1" "10 2" "1 1"; do
    T resize-window -t t -x "${s% *}" -y "${s#* }"
    T send-keys -t t l j k h
    sleep 0.2
    alive "$pid" || { wait_file "$dir/status" 10; check_not_crashed; fail "llmem exited at $s"; }
  done
  T resize-window -t t -x 80 -y 24
  first_frame || fail "nothing drawn at 80x24 after 1x1"
  T send-keys -t t q
  check_status_clean
  check_restored
  ;;
hup)
  start 120 36
  first_frame || fail "no first frame"
  pid="$(llmem_pid)"; alive "$pid" || fail "llmem not running"
  T kill-session -t t
  for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    grep -q '^State:' /proc/"$pid"/status && echo "state: $(grep '^State:' /proc/"$pid"/status)"
    kill -9 "$pid"; fail "llmem still running 10 s after its terminal was closed (hang)"
  fi
  wait_file "$dir/status" 50 || fail "no exit status recorded"
  check_not_crashed
  echo "after SIGHUP llmem ended with status $(cat "$dir/status")"
  ;;
term|int)
  start 120 36
  first_frame || fail "no first frame"
  pid="$(llmem_pid)"; alive "$pid" || fail "llmem not running"
  T send-keys -t t j l   # leave it in some state
  sleep 0.3
  if [ "$what" = term ]; then kill -TERM "$pid"; else T send-keys -t t C-c; fi
  wait_file "$dir/status" 100 || fail "llmem did not exit within 10 s of SIG${what^^}"
  check_not_crashed
  echo "after SIG${what^^} llmem ended with status $(cat "$dir/status")"
  check_restored
  ;;
*) echo "usage: $0 LLMEM resize|tiny|hup|term|int"; exit 2 ;;
esac
echo "ok ($what)"
