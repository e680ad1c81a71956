#!/usr/bin/python3
"""The bash completion script (docs/llmem.bash-completion) against the real
binary: subcommands, options, preset and GPU ids, --set keys and values.

    check_completion.py LLMEM SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

LLMEM, SRC = sys.argv[1], sys.argv[2]
SCRIPT = os.path.join(SRC, "docs/llmem.bash-completion")
failures = []
HOME = tempfile.mkdtemp(prefix="llmem-compl-")
ENV = {k: v for k, v in os.environ.items()
       if k not in ("HF_HOME", "HF_HUB_CACHE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
ENV["HOME"] = HOME


def complete(line):
    """COMPREPLY for the command line `line` with the cursor at its end."""
    line = line.replace("llmem", LLMEM, 1)
    prog = ('source "$1"; COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; '
            'COMP_WORDBREAKS=$\' \\t\\n"\\\'><=;|&(:\'; _llmem; '
            'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog, "bash", SCRIPT, line],
                       capture_output=True, text=True, env=ENV, timeout=60)
    if p.returncode != 0 or p.stderr:
        failures.append("%r: bash failed: %s" % (line, p.stderr))
        return []
    return [w for w in p.stdout.split("\n") if w]


def expect(line, must=(), exactly=None):
    got = complete(line)
    if exactly is not None and sorted(got) != sorted(exactly):
        failures.append("%r: got %r, expected exactly %r" % (line, got, exactly))
        print("FAIL %r -> %r" % (line, got))
        return
    missing = [m for m in must if m not in got]
    if missing:
        failures.append("%r: %r missing from %r" % (line, missing, got[:20]))
        print("FAIL %r -> missing %r" % (line, missing))
        return
    print("ok   %r -> %s" % (line, " ".join(got[:8]) + (" ..." if len(got) > 8 else "")))


expect("llmem ", must=["estimate", "sweep", "fit", "presets", "gpus", "precisions", "help"])
expect("llmem est", exactly=["estimate"])
expect("llmem estimate --pre", exactly=["--preset", "--presets"])
expect("llmem estimate --ex", exactly=["--explain"])
expect("llmem estimate --preset llama-3-", must=["llama-3-8b", "llama-3-70b"])
expect("llmem fit --gpu h100-", must=["h100-80gb"])
expect("llmem fit --so", exactly=["--solve"])
expect("llmem fit --solve ", exactly=["seq", "batch", "gpus", "precision"])
expect("llmem estimate --set mo", exactly=["mode="])
expect("llmem estimate --set mode=in", exactly=["infer"])           # after the '=' break
expect("llmem estimate --set weights=bf", exactly=["bf16"])
expect("llmem estimate --set gpu=a100-", must=["a100-40gb", "a100-80gb"])
expect("llmem estimate --set teacher=llama-3-7", must=["llama-3-70b"])  # preset ids
expect("llmem estimate --set teacher_w", exactly=["teacher_weights="])
expect("llmem estimate --set flash=", exactly=["on", "off"])
expect("llmem estimate --format ", exactly=["table", "json", "csv", "md"])
expect("llmem presets --format ", must=["ids", "json"])
expect("llmem sweep se", must=["seq="])
expect("llmem help ", must=["estimate", "settings"])
expect("llmem --th", exactly=["--theme"])
expect("llmem --theme ", exactly=["dark", "light", "contrast", "mono"])

print("%d failure(s)" % len(failures))
for f in failures:
    print("  " + f)
sys.exit(1 if failures else 0)
