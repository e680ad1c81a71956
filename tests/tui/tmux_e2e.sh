#!/bin/sh
# End-to-end tests of the real binary in tmux (private socket, fixed size).
# Every wait polls capture-pane until the expected text shows (no fixed
# sleeps); the tmux server is always killed.
#
#   tmux_e2e.sh LLMEM_BINARY [case]
# cases: main (default), signals, colours, machine, demo
set -u
BIN=$1
CASE=${2:-main}
BASE="llmem-e2e-$$-$CASE"
RUN=0
SOCK="$BASE-0"
TMP=$(mktemp -d)
T() { tmux -L "$SOCK" "$@"; }
# every start gets its own server (a socket is never reused while a server
# may still be exiting); all of them are killed at the end
cleanup() {
    i=0
    while [ $i -le $RUN ]; do tmux -L "$BASE-$i" kill-server 2>/dev/null; i=$((i + 1)); done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; echo "---- screen ----"; T capture-pane -p -t e2e 2>/dev/null; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# wait_for TEXT [TRIES]: poll the pane (0.1 s apart) until TEXT appears.
wait_for() {
    n=${2:-100}
    while [ "$n" -gt 0 ]; do
        if T capture-pane -p -t e2e 2>/dev/null | grep -F -q -- "$1"; then return 0; fi
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
wait_gone() {
    n=${2:-100}
    while [ "$n" -gt 0 ]; do
        if ! T capture-pane -p -t e2e 2>/dev/null | grep -F -q -- "$1"; then return 0; fi
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
line_of() { T capture-pane -p -t e2e | grep -F -- "$1" | head -1; }
check() { if wait_for "$2"; then ok "$1"; else fail "$1: no '$2'"; fi; }

# The pane runs the explorer from a shell that records the exit status and
# whether the terminal modes came back (stty before and after).
start() {
    cols=$1
    rows=$2
    shift 2
    RUN=$((RUN + 1))
    SOCK="$BASE-$RUN"
    cat > "$TMP/run.sh" <<EOS
#!/bin/sh
trap ':' INT TERM HUP
before=\$(stty -g)
sh -c 'echo \$\$ > "$TMP/pid"; exec "\$@"' sh "\$@"
rc=\$?
after=\$(stty -g)
if [ "\$before" = "\$after" ]; then s=same; else s=changed; fi
echo "EXIT=\$rc STTY=\$s"
exec sleep 600
EOS
    chmod +x "$TMP/run.sh"
    T -f /dev/null new-session -d -s e2e -x "$cols" -y "$rows" \
        env TERM="${E2E_TERM:-xterm-256color}" ${NOCOLOR:+NO_COLOR=1} ${DEMO_SECONDS:+LLMEM_DEMO_SECONDS=$DEMO_SECONDS} LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$TMP/config" \
        HOME="$TMP" PATH="${E2E_PATH:-$PATH}" "$TMP/run.sh" "$BIN" "$@"
    T set -g window-size manual
}

# SGR mouse (xterm 1006), 1-based columns and rows, as a terminal sends it.
click() {
    T send-keys -t e2e -l "$(printf '\033[<0;%d;%dM' $(($1 + 1)) $(($2 + 1)))"
    T send-keys -t e2e -l "$(printf '\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)))"
}

# Press and release in one write: ncurses then reports only the release
# (a quick click over SSH often arrives so); it must still act as a click.
click_fast() {
    T send-keys -t e2e -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)) $(($1 + 1)) $(($2 + 1)))"
}

restored() {
    check "$1: exit status $2, terminal modes restored" "EXIT=$2 STTY=same"
    alt=$(T display -p -t e2e '#{alternate_on}')
    cur=$(T display -p -t e2e '#{cursor_flag}')
    [ "$alt" = 0 ] && ok "$1: alternate screen left" || fail "$1: still on the alternate screen ($alt)"
    [ "$cur" = 1 ] && ok "$1: cursor visible" || fail "$1: cursor hidden ($cur)"
}

case "$CASE" in
main)
    start 120 36 --preset llama-3-8b --gpu h100-80gb
    check "first frame" "Llama 3 8B (published shape)"
    check "units on the title line" "GiB"
    check "slider panel" "Layers            32"
    # idle: no CPU used while nothing happens (blocking wait, no timer)
    pid=$(cat "$TMP/pid")
    t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 1
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    [ $((t1 - t0)) -le 1 ] && ok "idle: $((t1 - t0)) CPU ticks in 1 s" || fail "busy while idle: $((t1 - t0)) ticks"
    before=$(line_of "Total ")
    # bytes sent to the terminal for one slider step (tmux pipe-pane copies them)
    : > "$TMP/bytes"
    T pipe-pane -t e2e "cat >> '$TMP/bytes'"
    T send-keys -t e2e l
    check "slider step moves Layers" "Layers            33"
    n=0; prev=-1; size=$(wc -c < "$TMP/bytes")
    while [ "$size" != "$prev" ] && [ $n -lt 50 ]; do prev=$size; sleep 0.1; size=$(wc -c < "$TMP/bytes"); n=$((n + 1)); done
    T pipe-pane -t e2e
    [ "$size" -gt 0 ] && [ "$size" -lt 1536 ] && ok "slider step sent $size bytes (< 1.5 KB)" \
        || fail "slider step sent $size bytes"
    wait_gone "$before" 30
    after=$(line_of "Total ")
    [ "$before" != "$after" ] && ok "slider step changes the total" || fail "total unchanged: $after"
    # typed entry: Seq len is the 10th slider (9 down from Layers)
    T send-keys -t e2e j j j j j j j j j =
    check "typed entry prompt" "Seq len = _"
    T send-keys -t e2e 1 6 k Enter
    check "typed entry 16k" "Seq len        16384"
    # Home/End in the forms terminals send (tmux under TERM=xterm-256color:
    # \e[1~ \e[4~; rxvt \e[7~ \e[8~; xterm \e[H \e[F): the minimum and the
    # maximum of Seq len (16 .. 4M), never their digits as view keys
    T send-keys -t e2e -l "$(printf '\033[4~')"
    check "End as \\e[4~ goes to the maximum" "Seq len      4194304"
    T send-keys -t e2e -l "$(printf '\033[1~')"
    check "Home as \\e[1~ goes to the minimum" "Seq len           16"
    T send-keys -t e2e -l "$(printf '\033[8~')"
    check "End as \\e[8~" "Seq len      4194304"
    T send-keys -t e2e -l "$(printf '\033[7~')"
    check "Home as \\e[7~" "Seq len           16"
    T send-keys -t e2e -l "$(printf '\033[F')"
    check "End as \\e[F" "Seq len      4194304"
    T send-keys -t e2e -l "$(printf '\033[H')"
    check "Home as \\e[H" "Seq len           16"
    if T capture-pane -p -t e2e | grep -F -q -- "─ Memory ─"; then ok "Home/End left the view alone"
    else fail "Home/End switched the view"; fi
    T send-keys -t e2e = 1 6 k Enter
    check "typed entry 16k again" "Seq len        16384"
    # view switching: keys and Tab
    T send-keys -t e2e 2
    check "view 2 Params" "Non-embedding"
    T send-keys -t e2e Tab
    check "Tab to Compute" "FLOPs/token"
    # help overlay, closed by any key
    T send-keys -t e2e '?'
    check "help overlay" "Help: every key"
    T send-keys -t e2e Escape
    wait_gone "Help: every key" && ok "help closes" || fail "help still open"
    # preset picker: filter and pick
    T send-keys -t e2e p
    check "preset picker" "Presets (type to filter"
    T send-keys -t e2e -l mixtral
    check "filter narrows to Mixtral" "Mixtral 8x7B"
    T send-keys -t e2e Enter
    check "picked preset on the title" "Mixtral 8x7B"
    # mouse: click the "5 Techniques" tab (row 1)
    x=$(T capture-pane -p -t e2e | sed -n 2p | awk '{print index($0, "5 Techniques")}')
    click "$x" 1
    check "mouse click on a view name" "naive baseline"
    # mouse: click a slider row selects it (Batch, found on screen)
    y=$(T capture-pane -p -t e2e | grep -n " Batch " | head -1 | cut -d: -f1)
    click 3 $((y - 1))
    check "mouse click selects a slider" "▶Batch"
    # mouse: press and release in one write still click ("6 Sweep" tab)
    x=$(T capture-pane -p -t e2e | sed -n 2p | awk '{print index($0, "6 Sweep")}')
    click_fast "$x" 1
    check "coalesced press+release clicks a view name" "─ Sweep ─"
    T send-keys -t e2e 5
    check "back to Techniques" "─ Techniques ─"
    # resize: 80x24 (compact), 60x20 (too small), 200x60 (full)
    T resize-window -t e2e -x 80 -y 24
    check "compact at 80x24 (short Techniques header)" "per GPU, naive → current"
    T resize-window -t e2e -x 60 -y 20
    check "too small at 60x20" "terminal too small (need 80x24)"
    T resize-window -t e2e -x 200 -y 60
    check "full at 200x60 (long Techniques header)" "per-GPU memory, naive baseline"
    rows=$(T capture-pane -p -t e2e | wc -l)
    [ "$rows" = 60 ] && ok "200x60 fills 60 rows" || fail "rows $rows"
    T send-keys -t e2e q
    restored "q" 0
    ;;
signals)
    start 120 36
    check "first frame (no arguments)" "Settings"
    T send-keys -t e2e C-c
    restored "Ctrl-C" 130
    T kill-server
    start 120 36
    check "first frame again" "Settings"
    kill -TERM "$(cat "$TMP/pid")"
    restored "SIGTERM" 143
    T kill-server
    start 120 36
    check "first frame, third run" "Settings"
    kill -HUP "$(cat "$TMP/pid")"
    restored "SIGHUP" 129
    T kill-server
    # a fatal error (SIGABRT as from abort()): the process dies of it (134)
    # but the terminal modes, screen and cursor come back first
    start 120 36
    check "first frame, fourth run" "Settings"
    kill -ABRT "$(cat "$TMP/pid")"
    restored "SIGABRT" 134
    ;;
colours)
    # NO_COLOR: the monochrome theme, no colour escapes at all
    NOCOLOR=1 start 120 36 --preset llama-3-8b
    check "NO_COLOR first frame" "Settings"
    if T capture-pane -e -p -t e2e | grep -q -E $(printf '\033')'\[([0-9;]*;)?(3[0-7]|38;5|4[0-7]|48;5)[;m]'; then
        fail "NO_COLOR: colour escapes on screen"
    else ok "NO_COLOR: no colour on screen"; fi
    T send-keys -t e2e q
    restored "NO_COLOR q" 0
    T kill-server
    # an 8-colour terminal: basic colours only, no 256-colour indices
    E2E_TERM=xterm start 120 36 --preset llama-3-8b
    check "8 colours first frame" "Settings"
    screen=$(T capture-pane -e -p -t e2e)
    echo "$screen" | grep -q -E '38;5;(1[6-9]|[2-9][0-9]|1[0-9][0-9]|2[0-5][0-9])' && fail "8 colours: 256-colour index used" \
        || ok "8 colours: no 256-colour indices"
    echo "$screen" | grep -q -E $(printf '\033')'\[([0-9;]*;)?3[0-7][;m]' && ok "8 colours: basic colours used" \
        || fail "8 colours: no colour at all"
    T send-keys -t e2e q
    restored "8 colours q" 0
    T kill-server
    # TERM=dumb cannot be drawn on: a clear message, status 1, nothing broken
    E2E_TERM=dumb start 120 36 --preset llama-3-8b
    check "TERM=dumb message" "cannot show the explorer"
    check "TERM=dumb status" "EXIT=1 STTY=same"
    ;;
machine)
    # a stand-in nvidia-smi on PATH: 8 GPUs
    mkdir -p "$TMP/bin"
    cat > "$TMP/bin/nvidia-smi" <<'EOS'
#!/bin/sh
i=0
while [ $i -lt 8 ]; do echo "NVIDIA H100 80GB HBM3, 81559 MiB"; i=$((i + 1)); done
EOS
    chmod +x "$TMP/bin/nvidia-smi"
    E2E_PATH="$TMP/bin:$PATH" start 120 36 --preset llama-3-8b
    check "this machine's GPUs" "this machine: 8× NVIDIA H100 SXM5 80GB"
    check "machine GPU preselected" "GPU        NVIDIA H100 SXM5 80GB"
    T send-keys -t e2e q
    restored "q" 0
    ;;
demo)
    # talk mode in a 120x36 pane: the timer advances (1 s here), keys step
    # forward and back, Enter pauses, q exits cleanly
    DEMO_SECONDS=1 start 120 36 --demo
    check "talk mode first step" "talk mode 1/"
    check "caption line" "Llama 3 8B, full training in bf16"
    check "large figure" "Total memory per GPU"
    check "timer advances the tour" "talk mode 2/"
    T send-keys -t e2e Enter
    check "Enter pauses" "(paused)"
    # (wait_for uses $n: the step goes in $st)
    st=$(T capture-pane -p -t e2e | sed -n 's/.*talk mode \([0-9]*\)\/.*/\1/p' | tail -1)
    T send-keys -t e2e Space
    check "Space: next step" "talk mode $((st + 1))/"
    T send-keys -t e2e Right
    check "Right: next step" "talk mode $((st + 2))/"
    T send-keys -t e2e Left
    check "Left: back" "talk mode $((st + 1))/"
    # still paused: one and a half periods later the step has not moved
    sleep 1.5
    T capture-pane -p -t e2e | grep -F -q "talk mode $((st + 1))/" && ok "paused: the timer waits" \
        || fail "paused, but the step moved"
    T send-keys -t e2e q
    restored "talk mode q" 0
    ;;
esac
[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
exit "$fails"
