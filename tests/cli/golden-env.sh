# Sourced by golden.sh and tests/tools/regen-golden.sh: a clean environment so
# the output depends only on the build and the presets in the source tree (no
# user presets, no Hugging Face cache, no installed data of another version).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/llmem-golden.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
mkdir -p "$WORK/home"
golden_run() {
    env -u HF_HUB_CACHE -u HF_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u NO_COLOR \
        HOME="$WORK/home" LC_ALL=C.UTF-8 TZ=UTC "$@" </dev/null
}
