#!/usr/bin/env bash
# A scripted explorer session under valgrind: no invalid reads/writes, no use
# of uninitialised values, no definite or indirect leaks.
#   valgrind_session.sh LLMEM tmux       the real terminal path (ncurses) in tmux
#   valgrind_session.sh LLMEM headless   the headless canvas (tests/tui has the CI one)
# ncurses keeps some memory "still reachable" by design: that kind is not counted.
set -u
llmem="$1"; mode="$2"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 1; }
dir="$(mktemp -d /tmp/llmem-vg.XXXXXX)"
sock="$dir/sock"
T() { tmux -S "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$dir"' EXIT
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes --log-file="$dir/vg.log")
# Every view, slider steps, picker, explain, help, undo/redo, units, theme,
# compare; letters only, so the script means the same in every key notation.
keys='jjjllllhhkk1234567llhh2l3l4l5l6l7l1gtttteeuujjlcllc?q'

check_log() {
  if [ "$1" -ne 0 ] || grep -q 'ERROR SUMMARY: [1-9]' "$dir/vg.log"; then
    echo "valgrind reported problems (status $1):"; cat "$dir/vg.log"; exit 1
  fi
  echo "valgrind clean ($mode): $(grep -c . "$dir/vg.log") log lines"
}

case "$mode" in
headless)
  "${vg[@]}" "$llmem" --size 120x36 --keys "$keys" --dump-screen "$dir/screen.txt"
  rc=$?
  check_log $rc
  [ -s "$dir/screen.txt" ] || { echo "no screen dumped"; exit 1; }
  ;;
tmux)
  cat > "$dir/run.sh" <<RUN
#!/usr/bin/env bash
${vg[*]} "$llmem"
echo "\$?" > "$dir/status"
sleep 60
RUN
  chmod +x "$dir/run.sh"
  T new-session -d -s t -x 120 -y 36 "$dir/run.sh"
  # valgrind is slow to start: poll for a drawn screen
  drawn=0
  for ((i = 0; i < 300; i++)); do
    T capture-pane -p -t t | grep -Eq '[^ ]{3,}.*[^ ]{3,}' && { drawn=1; break; }; sleep 0.1
  done
  [ $drawn = 1 ] || { echo "no first frame under valgrind within 30 s"; T capture-pane -p -t t; exit 1; }
  for ((i = 0; i < ${#keys}; i++)); do
    k="${keys:i:1}"
    [ "$k" = q ] && break
    T send-keys -t t -l "$k"; sleep 0.05
  done
  T send-keys -t t Escape; sleep 0.3; T send-keys -t t Escape; sleep 0.3
  T resize-window -t t -x 80 -y 24; sleep 0.3
  T resize-window -t t -x 30 -y 10; sleep 0.3
  T resize-window -t t -x 200 -y 60; sleep 0.3
  T send-keys -t t q
  for ((i = 0; i < 300; i++)); do [ -s "$dir/status" ] && break; sleep 0.1; done
  [ -s "$dir/status" ] || { echo "llmem did not exit under valgrind"; T capture-pane -p -t t; exit 1; }
  [ -f "$dir/vg.log" ] || { echo "valgrind did not run (no log)"; exit 1; }
  check_log "$(cat "$dir/status")"
  ;;
*) echo "usage: $0 LLMEM headless|tmux"; exit 2 ;;
esac
