#!/usr/bin/python3
"""Extreme shapes and hostile arguments through the real command line.

    cli_extremes.py LLMEM SOURCE_DIR

Each case must give either the correct large number or a clear error: exit
status 2 or 3 with one line on stderr naming the problem -- never a crash
(signal), a hang (timeout), a negative / NaN / infinite figure, or mixed
output.  Expected values are worked by hand in tests/unit/test_hostile_engine.c
(Llama-3-8B, Meta's config.json):
  10^6 layers               params.total 218,113,050,677,248
                            memory.weights (bf16) 436,226,101,354,496
  hidden 10^7               params.total 8,016,328,330,000,000
  seq 10^9, inference       memory.kv_cache 131,072 x 10^9 = 131,072,000,000,000
  10^6 layers + hidden 10^7 about 2.5e20 parameters: above 2^64, must be an error
"""
import json
import math
import os
import subprocess
import sys
import tempfile

LLMEM, SRC = sys.argv[1], sys.argv[2]
HF = os.path.join(SRC, "tests/fixtures/reference/hf-configs/llama-3-8b/config.json")
failures = []


def run(args, timeout=30, stdin=None):
    try:
        p = subprocess.run([LLMEM] + args, capture_output=True, timeout=timeout, stdin=stdin)
    except subprocess.TimeoutExpired:
        return None
    return p


def show(args):
    text = "llmem " + " ".join(a if len(a) < 60 else a[:57] + "..." for a in args)
    return text if len(text) < 200 else text[:197] + "..."


def fail(args, why, p=None):
    msg = "%s: %s" % (show(args), why)
    if p is not None:
        msg += "\n    exit %d, stderr: %r" % (p.returncode, p.stderr[:300])
    failures.append(msg)
    print("FAIL " + msg)


def clear_error(args, p):
    """A refusal is fine if it is clear: status 2 or 3, one line on stderr, nothing on stdout."""
    err = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode not in (2, 3):
        fail(args, "refused with status %d (want 2 or 3)" % p.returncode, p)
    elif not err or not err.splitlines()[0].strip() or len(err.splitlines()) > 3:
        fail(args, "error is not a short message (one line, or a file position with a caret)", p)
    elif p.stdout.strip():
        fail(args, "stdout not empty on an error", p)
    else:
        print("ok   %s -> refused: %s" % (show(args), err.splitlines()[0][:160]))


def walk_numbers(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_numbers(v, path + "." + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_numbers(v, "%s[%d]" % (path, i))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, node


def estimate(sets, check=None, allow_error=True):
    args = ["estimate", "--hf-config", HF, "--format", "json"]
    for s in sets:
        args += ["--set", s]
    p = run(args)
    if p is None:
        return fail(args, "timed out (hang)")
    if p.returncode < 0:
        return fail(args, "killed by signal %d" % -p.returncode, p)
    if p.returncode != 0:
        if not allow_error:
            return fail(args, "refused, but the figure exists", p)
        return clear_error(args, p)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        return fail(args, "stdout is not JSON (%s)" % e, p)
    bad = [(k, v) for k, v in walk_numbers(doc)
           if (isinstance(v, float) and not math.isfinite(v)) or (v < 0 and "delta" not in k)]
    if bad:
        return fail(args, "negative or non-finite figures: %s" % bad[:5])
    if check:
        why = check(doc)
        if why:
            return fail(args, why)
    print("ok   %s" % show(args))
    return doc


def want(path, value):
    def check(doc):
        node = doc
        for k in path.split("."):
            if not isinstance(node, dict) or k not in node:
                return "no key %s in the JSON" % path
            node = node[k]
        if node != value:
            return "%s = %r, expected %r" % (path, node, value)
        return None
    return check


def all_of(*checks):
    def check(doc):
        for c in checks:
            why = c(doc)
            if why:
                return why
        return None
    return check


# --- extreme shapes and workloads -------------------------------------------
estimate(["layers=1000000"], all_of(want("params.total", 218113050677248)))
estimate(["layers=1e6", "mode=infer"], all_of(want("params.total", 218113050677248),
                                              want("memory.weights", 436226101354496)))
estimate(["hidden=10000000"], want("params.total", 8016328330000000))
estimate(["seq=1e9", "mode=infer"], want("memory.kv_cache", 131072000000000))
estimate(["seq=1e9"])                      # training at 10^9 tokens per sequence
estimate(["seq=1e9", "flash=off"])         # with the a·s² scores
estimate(["gpus=1000000"])
estimate(["dp=1000000", "zero=3"])
estimate(["tp=8", "pp=4", "dp=31250", "zero=3", "gpus=1000000"])
estimate(["layers=1000000", "hidden=10000000", "seq=1e9", "gpus=1000000"])
estimate(["batch=1e6", "seq=1e9", "mode=infer"])
estimate(["vocab=1e9"])
estimate(["experts=1000000", "active_experts=2"])

# the overflowing shape: no 64-bit count is right, so it must be refused
args = ["estimate", "--hf-config", HF, "--set", "layers=1000000", "--set", "hidden=10000000"]
p = run(args)
if p is None:
    fail(args, "timed out")
elif p.returncode == 0:
    fail(args, "accepted a shape of about 2.5e20 parameters (above 2^64)", p)
else:
    clear_error(args, p)

# every output format with extremes: no nan/inf/negative sign in front of a digit
for fmt in ("table", "csv", "md", "json"):
    args = ["estimate", "--hf-config", HF, "--set", "layers=1e6", "--set", "seq=1e9",
            "--set", "gpus=1000000", "--format", fmt]
    p = run(args)
    if p is None or p.returncode < 0:
        fail(args, "hang or crash")
        continue
    out = p.stdout.decode("utf-8", "replace").lower()
    if p.returncode == 0 and ("nan" in out.replace("nano", "") or " inf" in out or "-nan" in out):
        fail(args, "NaN or inf printed:\n" + out[:400])
    elif p.returncode != 0:
        clear_error(args, p)
    else:
        print("ok   %s" % show(args))

# sweeps over huge ranges stream and stop; fit with huge counts
for args in (["sweep", "layers=1:1000000:*10", "--hf-config", HF, "--format", "csv"],
             ["sweep", "seq=1:1e9:*2", "--hf-config", HF, "--format", "csv"],
             ["sweep", "gpus=1:1000000:*4", "--hf-config", HF, "--format", "json"],
             ["fit", "--hf-config", HF, "--set", "seq=1e9", "--gpu", "h100-80gb", "--solve", "gpus"],
             ["fit", "--hf-config", HF, "--set", "layers=1e6", "--gpu", "h100-80gb"]):
    p = run(args, timeout=60)
    if p is None:
        fail(args, "timed out (hang)")
    elif p.returncode < 0:
        fail(args, "killed by signal %d" % -p.returncode, p)
    elif p.returncode not in (0, 1):
        clear_error(args, p)
    else:
        out = p.stdout.decode("utf-8", "replace").lower()
        if "nan" in out or "inf" in out.replace("info", "").replace("infer", ""):
            fail(args, "NaN or inf printed:\n" + out[:400])
        else:
            print("ok   %s (exit %d, %d lines)" % (show(args), p.returncode, out.count("\n")))

# --- hostile arguments and files ----------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    empty = os.path.join(tmp, "empty.yaml")
    open(empty, "w").close()
    binary = os.path.join(tmp, "binary.json")
    with open(binary, "wb") as f:
        f.write(bytes(range(256)) * 64)
    huge = os.path.join(tmp, "huge.yaml")
    with open(huge, "wb") as f:
        f.truncate(256 << 20)  # sparse 256 MiB of NULs
    hostile = [
        ["estimate", "--set", "seq=" + "9" * 100000],
        ["estimate", "--set", "x" * 100000 + "=1"],
        ["estimate", "--set", "seq=1e999999"],
        ["estimate", "--set", "seq=-1"],
        ["estimate", "--set", "seq=18446744073709551616"],
        ["estimate", "--set", "overhead=99999999999TiB"],
        ["estimate", "--set", "mfu=nan"],
        ["estimate", "--set", "sparsity=inf"],
        ["estimate", "--set", os.fsdecode(b"seq=\xff\xfe")],
        ["estimate", "--set"],
        ["estimate", "--set", "="],
        ["estimate", "--preset", "x" * 100000],
        ["estimate", "--config", empty],
        ["estimate", "--config", tmp],
        ["estimate", "--config", "/dev/zero"],
        ["estimate", "--config", huge],
        ["estimate", "--hf-config", binary],
        ["estimate", "--hf-config", "/dev/zero"],
        ["estimate", "--hf-config", huge],
        ["sweep", "seq=1:0"],
        ["sweep", "seq=1:1e9:+0"],
        ["sweep", "seq=1:1e9:*1"],
        ["sweep", "seq=1:1e9:*0"],
        ["sweep", "seq=5:1:*2"],
        ["fit", "--gpu", "x" * 5000],
        ["estimate"] + ["--set", "seq=8k"] * 20000,
    ]
    for args in hostile:
        p = run(args)
        if p is None:
            fail(args, "timed out (hang)")
        elif p.returncode < 0:
            fail(args, "killed by signal %d" % -p.returncode, p)
        elif p.returncode == 0:
            if args[-1].startswith("seq=8k"):
                print("ok   %s (accepted: the same setting repeated)" % show(args))
            else:
                fail(args, "accepted", p)
        else:
            clear_error(args, p)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
