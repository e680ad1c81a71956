#!/bin/sh
# Regenerates every picture in screenshots/ from the real llmem binary,
# headless: the explorer draws on a 120x36 canvas, keys are fed from a
# script, and the final screen is written as SVG (an exact rendering of the
# cells: monospace text, the theme's colours, bold) and as text.  PNGs are
# rendered from the SVGs with rsvg-convert (Debian: librsvg2-bin) at 2x, so
# they stay crisp on a slide.
#
#   screenshots/generate.sh [LLMEM_BINARY [OUT_DIR]]
#       LLMEM_BINARY  default: build/llmem
#       OUT_DIR       default: the screenshots/ folder of this checkout
#   NO_PNG=1 skips the PNGs (the SVG and text files are still written).
#
# Or from a build tree: cmake --build build --target screenshots
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/llmem}
out=${2:-$here}
size=120x36
zoom=2

if [ ! -x "$bin" ]; then
    echo "generate.sh: no llmem binary at $bin (build first, or pass its path)" >&2
    exit 2
fi
mkdir -p "$out"
png=1
if [ "${NO_PNG:-}" = 1 ]; then
    png=0
elif ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "generate.sh: rsvg-convert not found (apt-get install librsvg2-bin): SVG and text only" >&2
    png=0
fi

# Fixed environment: the pictures do not depend on who runs the script.
# No user presets, no Hugging Face cache, no nvidia-smi, UTF-8 glyphs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" HF_HOME="$tmp/hf" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR HF_HUB_CACHE TRANSFORMERS_CACHE 2>/dev/null || true
PATH=/usr/bin:/bin
export PATH

count=0
# shot NAME [llmem arguments...]: one picture
shot() {
    name=$1
    shift
    "$bin" --size "$size" "$@" --dump-svg "$out/$name.svg" --dump-screen "$out/$name.txt"
    if [ "$png" = 1 ]; then
        rsvg-convert --zoom "$zoom" --format png --output "$out/$name.png" "$out/$name.svg"
    fi
    count=$((count + 1))
    echo "  $name"
}

echo "llmem screenshots into $out ($size):"
# 1. The Memory view: training Llama 3 8B on an H100 (bf16, AdamW).
shot memory-llama-3-8b-train --preset llama-3-8b --gpu h100-80gb --theme dark --keys 1
# 2. Inference of a 70B model at a 128k context, against every GPU.
#    Llama 3.1: its context covers 128k (Llama 3's is 8k).
shot infer-llama-3.1-70b-128k --preset llama-3.1-70b --gpu h100-80gb --theme dark \
    --set mode=infer --set seq=128k --set gen_tokens=0 --set batch=1 --keys 1
# 3. The Techniques waterfall for GPT-3 175B on A100s.
shot techniques-gpt3-175b --preset gpt3-175b --gpu a100-80gb --theme dark --keys 5
# 4. A Sweep over the context length with the H100's capacity line and the
#    crossing (the longest context that fits).
shot sweep-llama-3.1-70b-seq --preset llama-3.1-70b --gpu h100-80gb --theme dark \
    --set mode=infer --set batch=1 --set seq=32k --keys 6
# 5. Compare: pin the training setting, turn on full recomputation (the
#    Recompute slider is 28 rows below Layers), then the Compare view.
shot compare-llama-3-8b-recompute --preset llama-3-8b --gpu h100-80gb --theme dark \
    --keys "cjjjjjjjjjjjjjjjjjjjjjjjjjjjj<Right><Right>7"
# 6. The monochrome theme (NO_COLOR): segments told apart by glyphs.
shot memory-mono --preset llama-3-8b --gpu h100-80gb --theme mono --keys 1
# 7. Talk mode: the high-contrast theme and the large total figure
#    (the tour's fifth step: Llama 3.1 70B serving a 128k request).
shot talk-mode --demo --keys "    "
# 8. The light theme on the Parameters view.
shot params-light --preset llama-3.1-405b --gpu h100-80gb --theme light --keys 2

echo "$count screens: $out/*.svg and *.txt$( [ "$png" = 1 ] && echo ', *.png')"
