#!/usr/bin/python3
"""The command line's contract (docs/cli.md): exit statuses, one-line errors,
JSON that parses and holds the right numbers, sweep rows, fit answers.

    check_cli.py LLMEM SOURCE_DIR [GROUP...]

GROUP is one of: errors json sweep fit presets stream (default: all but stream).
Expected values come from published figures or hand calculations written next
to each check, never from llmem's own output:
  Llama-3-8B (Meta's config.json): 8,030,261,248 parameters (model card);
    bf16 weights 2 bytes each = 16,060,522,496 bytes;
    KV cache per token 2 (K,V) x 32 layers x 8 KV heads x 128 dims x 2 bytes
    = 131,072 bytes (FORMULAS.md section 4; vLLM reports 128 KiB per token);
    seq 4096 x batch 2 -> 1,073,741,824 bytes.
  Llama-2-70B: 68,976,648,192 parameters; bf16 weights 137,953,296,384 bytes
    = 128.48 GiB: more than one 80 GiB H100 (85,899,345,920 bytes), and half
    of it (64.2 GiB) plus a KV cache of 327,680 bytes per token (2 x 80 x 8 x
    128 x 2) at seq 4096, batch 1 fits on each of two: the smallest GPU count
    is 2.
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile

LLMEM, SRC = sys.argv[1], sys.argv[2]
GROUPS = sys.argv[3:] or ["errors", "json", "sweep", "fit", "presets"]
HF8B = os.path.join(SRC, "tests/fixtures/reference/hf-configs/llama-3-8b")
failures = []
HOME = tempfile.mkdtemp(prefix="llmem-cli-")
ENV = {k: v for k, v in os.environ.items()
       if k not in ("HF_HOME", "HF_HUB_CACHE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
ENV["HOME"] = HOME


def run(args, env=None, **kw):
    return subprocess.run([LLMEM] + args, capture_output=True, env=env or ENV, timeout=120,
                          stdin=subprocess.DEVNULL, **kw)


def fail(what, why, p=None):
    msg = "%s: %s" % (what, why)
    if p is not None:
        msg += "\n    exit %d\n    stderr %r\n    stdout %r" % (
            p.returncode, p.stderr[:300], p.stdout[:300])
    failures.append(msg)
    print("FAIL " + msg)


def ok(what):
    print("ok   " + what)


def show(args):
    return "llmem " + " ".join(args)


# --- errors -------------------------------------------------------------------
def expect_error(args, status, *words):
    """A bad input: the given status, nothing on stdout, one line on stderr
    starting with "llmem: " and naming each of `words`."""
    p = run(args)
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if p.returncode != status:
        return fail(show(args), "exit %d, expected %d" % (p.returncode, status), p)
    if p.stdout:
        return fail(show(args), "stdout not empty on an error", p)
    if len(lines) != 1 or not lines[0].startswith("llmem: "):
        return fail(show(args), "stderr is not one 'llmem: ...' line", p)
    for w in words:
        if w not in lines[0]:
            return fail(show(args), "error does not name %r" % w, p)
    ok("%s -> %d: %s" % (show(args), status, lines[0]))


def errors(tmp):
    bad_yaml = os.path.join(tmp, "bad.yaml")
    with open(bad_yaml, "w") as f:
        f.write("family: test\npresets:\n  - id: x\n    name: [unclosed\n")
    bad_json = os.path.join(tmp, "config.json")
    with open(bad_json, "w") as f:
        f.write('{"model_type": "llama", "hidden_size": 4096,,}')
    bad_dir = os.path.join(tmp, "presets")
    os.mkdir(bad_dir)
    with open(os.path.join(bad_dir, "broken.yaml"), "w") as f:
        f.write("family: [\n")
    two = os.path.join(tmp, "two.yaml")
    with open(two, "w") as f:
        f.write(TWO_PRESETS)

    # unknown key, bad values: usage (2), naming the key and what is accepted
    expect_error(["estimate", "--set", "frobs=1"], 2, "frobs")
    expect_error(["estimate", "--set", "seq=abc"], 2, "seq")
    expect_error(["estimate", "--set", "seq=-5"], 2, "seq")
    expect_error(["estimate", "--set", "mode=fly"], 2, "mode", "infer")
    expect_error(["estimate", "--set", "flash=maybe"], 2, "flash")
    expect_error(["estimate", "--set", "weights=fp7"], 2, "fp7")
    expect_error(["estimate", "--set", "optimizer=adam9"], 2, "optimizer")
    expect_error(["estimate", "--set", "mfu=1.5"], 2, "mfu")
    expect_error(["estimate", "--set", "noequals"], 2)
    expect_error(["estimate", "--set"], 2, "--set")
    # an impossible shape: 30 heads do not divide 4096 and 8 KV heads do not divide 30
    expect_error(["estimate", "--set", "heads=30"], 2, "heads")
    # unknown preset / GPU
    expect_error(["estimate", "--preset", "no-such-model"], 2, "no-such-model")
    expect_error(["estimate", "--gpu", "no-such-gpu"], 2, "no-such-gpu")
    expect_error(["fit", "--gpu", "no-such-gpu"], 2, "no-such-gpu")
    # usage
    expect_error(["frobnicate"], 2, "frobnicate")
    expect_error(["estimate", "--frob"], 2, "--frob")
    expect_error(["estimate", "extra"], 2, "extra")
    expect_error(["estimate", "--format", "xml"], 2, "xml")
    expect_error(["estimate", "--units", "mb"], 2, "mb")
    expect_error(["estimate", "--solve", "gpus"], 2, "--solve")
    expect_error(["estimate", "--explain", "--format", "csv"], 2, "--explain")
    expect_error(["estimate", "--hf-config", HF8B, "--preset", "gpt2"], 2)
    expect_error(["--dump-screen", "x.txt"], 2, "--size")
    expect_error(["--size", "120by36"], 2, "--size")
    expect_error(["presets", "--set", "seq=1"], 2, "--set")
    expect_error(["help", "nothing"], 2, "nothing")
    expect_error(["sweep"], 2, "AXIS")
    expect_error(["sweep", "frobs=1:2"], 2, "frobs")
    expect_error(["sweep", "seq=8k:1k"], 2, "seq")
    expect_error(["sweep", "seq=1:8:*1"], 2, "*N")
    expect_error(["sweep", "seq=1:8:+0"], 2, "+N")
    expect_error(["sweep", "seq=1:8:/2"], 2, "STEP")
    expect_error(["sweep", "mode=train:infer"], 2, "mode")
    # fit uses the preset's GPU; a model without one needs --gpu
    expect_error(["fit", "--preset", "llama-3-8b", "--set", "gpu=none"], 2, "--gpu")
    expect_error(["fit", "--gpu", "h100-80gb", "--solve", "speed"], 2, "speed")
    expect_error(["--config", two], 2, "--preset")
    # a well-formed file with an impossible shape (48 heads do not divide 64):
    # the file is at fault -> 3, naming the file; the same shape made by --set -> 2
    bad_shape = os.path.join(tmp, "shape.yaml")
    with open(bad_shape, "w") as f:
        f.write(TWO_PRESETS.replace("heads: 4,", "heads: 48,").split("  - id: tiny-b")[0])
    expect_error(["estimate", "--config", bad_shape], 3, "shape.yaml", "heads")
    expect_error(["estimate", "--config", two, "--preset", "tiny-b", "--set", "heads=48"], 2,
                 "heads")
    # files: missing, malformed -> 3, naming the file
    expect_error(["estimate", "--config", os.path.join(tmp, "missing.yaml")], 3, "missing.yaml")
    expect_error(["estimate", "--config", bad_yaml], 3, "bad.yaml")
    expect_error(["estimate", "--hf-config", os.path.join(tmp, "missing")], 3, "missing")
    expect_error(["estimate", "--hf-config", bad_json], 3, "config.json")
    expect_error(["estimate", "--presets", bad_dir], 3, "broken.yaml")
    expect_error(["estimate", "--presets", os.path.join(tmp, "nodir")], 3, "nodir")
    expect_error(["presets", "--presets", bad_dir], 3, "broken.yaml")


TWO_PRESETS = """family: test
presets:
  - id: tiny-a
    name: "Tiny \\"A\\" \\\\ caf\\u00e9"
    published: false
    analogue: "none: a test shape"
    source: "hand-written test fixture"
    model: {layers: 2, hidden: 64, heads: 4, ffn: 256, vocab: 1000}
  - id: tiny-b
    name: Tiny B
    published: false
    analogue: "none: a test shape"
    source: "hand-written test fixture"
    model: {layers: 2, hidden: 64, heads: 4, ffn: 256, vocab: 1000}
"""


# --- JSON -----------------------------------------------------------------------
def get(doc, path):
    node = doc
    for k in path.split("."):
        node = node[k]
    return node


def json_of(args, env=None):
    p = run(args, env=env)
    if p.returncode != 0:
        fail(show(args), "failed", p)
        return None
    try:
        return json.loads(p.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        fail(show(args), "stdout is not JSON: %s" % e, p)
        return None


def expect_values(args, want):
    doc = json_of(args)
    if doc is None:
        return None
    for path, value in want.items():
        try:
            got = get(doc, path)
        except (KeyError, TypeError):
            return fail(show(args), "no key %s" % path)
        if got != value or type(got) is not type(value):
            return fail(show(args), "%s = %r, expected %r" % (path, got, value))
    ok("%s: %s" % (show(args), ", ".join("%s=%s" % kv for kv in want.items())))
    return doc


def check_sums(args, doc):
    """memory.total is the sum of its categories; params.total of its parts."""
    mem = doc["memory"]
    parts = ["weights", "gradients", "optimizer", "activations", "kv_cache", "overhead"]
    for k in parts + ["total", "gpus"]:
        if not isinstance(mem[k], int):
            return fail(show(args), "memory.%s is not an integer: %r" % (k, mem[k]))
    # each category is rounded to a whole byte, so the sum may differ by a few bytes
    if abs(sum(mem[k] for k in parts) - mem["total"]) > len(parts):
        return fail(show(args), "memory.total %d != sum of categories %d"
                    % (mem["total"], sum(mem[k] for k in parts)))
    pr = doc["params"]
    keys = ["embedding", "positions", "attention", "mlp", "experts", "router", "norm", "lm_head"]
    if sum(pr[k] for k in keys) != pr["total"]:
        return fail(show(args), "params.total != sum of its parts")
    if not isinstance(doc["fit"], list) or not doc["fit"]:
        return fail(show(args), "fit is not a non-empty list")
    ok("%s: sums add up" % show(args))


def json_checks(tmp):
    # The acceptance of issue 5 (see the module docstring for the figures).
    doc = expect_values(
        ["estimate", "--hf-config", HF8B, "--set", "mode=infer", "--set", "seq=4096",
         "--set", "batch=2", "--format", "json"],
        {"params.total": 8030261248, "memory.weights": 16060522496,
         "memory.kv_cache": 1073741824, "memory.kv_bytes_per_token": 131072,
         "model.kv_heads": 8, "model.layers": 32, "settings.seq": 4096,
         "settings.batch": 2, "settings.mode": "infer", "settings.flash": True})
    if doc:
        check_sums(["estimate", "--hf-config", "llama-3-8b"], doc)
    # The same through the built-in preset.
    expect_values(["estimate", "--preset", "llama-3-8b", "--set", "mode=infer",
                   "--set", "seq=4096", "--set", "batch=2", "--format", "json"],
                  {"params.total": 8030261248, "memory.weights": 16060522496,
                   "memory.kv_cache": 1073741824, "preset.id": "llama-3-8b"})
    # GPT-2 small: 124,439,808 parameters (tied head, learned positions; models.json)
    doc = expect_values(["estimate", "--preset", "gpt2", "--format", "json"],
                        {"params.total": 124439808, "params.lm_head": 0})
    if doc:
        check_sums(["estimate", "--preset", "gpt2"], doc)
    # Mixtral-8x7B: 46,702,792,704 parameters, 12,879,925,248 active (models.json)
    doc = expect_values(["estimate", "--preset", "mixtral-8x7b", "--set", "mode=infer",
                         "--format", "json"],
                        {"params.total": 46702792704, "params.active": 12879925248})
    if doc:
        check_sums(["estimate", "--preset", "mixtral-8x7b"], doc)
    # Korthikanti et al. 2022, Fig. 1 (analytic): GPT-3 175B, s 2048, b 1, t 8,
    # p 8 with 3 interleaved chunks, 16-bit activations and dropout, attention
    # scores stored (no FlashAttention); first stage, layers only:
    #   no recomputation, no SP: 66.84375 GiB = 71,772,930,048 bytes
    #   SP + selective recomputation: 12.3515625 GiB = 13,262,389,248 bytes
    base = ["estimate", "--preset", "gpt3-175b", "--set", "seq=2048", "--set", "batch=1",
            "--set", "tp=8", "--set", "pp=8", "--set", "vpp=3", "--set", "dp=1",
            "--set", "dropout=on", "--set", "flash=off", "--format", "json"]
    expect_values(base, {"memory.activations_parts.layers": 71772930048,
                         "memory.activations_parts.stage": 0})
    expect_values(base + ["--set", "sp=on", "--set", "recompute=selective"],
                  {"memory.activations_parts.layers": 13262389248})
    # GB units do not change JSON (bytes are bytes)
    expect_values(["estimate", "--preset", "llama-3-8b", "--set", "mode=infer", "--units", "gb",
                   "--format", "json"], {"memory.weights": 16060522496})
    # --explain adds a trace per figure; the weights trace ends in 8,030,261,248 x 2 bytes
    doc = json_of(["estimate", "--preset", "llama-3-8b", "--set", "mode=infer", "--explain",
                   "--format", "json"])
    if doc is not None:
        ex = doc.get("explain", {})
        if not isinstance(ex, dict) or "memory.weights" not in ex:
            fail("estimate --explain --format json", "no explain.memory.weights")
        elif "16060522496" not in ex["memory.weights"].replace(",", ""):
            fail("estimate --explain --format json",
                 "the weights trace does not show 16,060,522,496: %r" % ex["memory.weights"][:300])
        elif "8030261248" not in ex["params.total"].replace(",", ""):
            fail("estimate --explain --format json",
                 "the parameter trace does not show 8,030,261,248: %r" % ex["params.total"][:300])
        else:
            ok("estimate --explain --format json: traces present")
    # Strings are escaped: quotes, backslash and UTF-8 survive the round trip.
    two = os.path.join(tmp, "two.yaml")
    doc = json_of(["estimate", "--config", two, "--preset", "tiny-a", "--format", "json"])
    if doc is not None:
        if doc["preset"]["name"] != 'Tiny "A" \\ caf\u00e9':
            fail("estimate --config two.yaml", "name %r did not round-trip" % doc["preset"]["name"])
        else:
            ok("JSON string escaping round-trips %r" % doc["preset"]["name"])
    # The local Hugging Face cache is its own group of presets: a snapshot of
    # Meta's Llama-3-8B config.json appears as hf:meta-llama/Meta-Llama-3-8B
    # and counts 8,030,261,248 parameters.
    hub = os.path.join(tmp, "hf", "hub", "models--meta-llama--Meta-Llama-3-8B")
    os.makedirs(os.path.join(hub, "snapshots", "0123abcd"))
    os.makedirs(os.path.join(hub, "refs"))
    with open(os.path.join(hub, "refs", "main"), "w") as f:
        f.write("0123abcd")
    with open(os.path.join(HF8B, "config.json")) as src, \
            open(os.path.join(hub, "snapshots", "0123abcd", "config.json"), "w") as dst:
        dst.write(src.read())
    env = dict(ENV, HF_HOME=os.path.join(tmp, "hf"))
    doc = json_of(["presets", "--format", "json"], env=env)
    if doc is not None:
        hf = [d for d in doc if d["family"] == "hf-cache"]
        if len(hf) != 1 or hf[0]["params_total"] != 8030261248 or "Llama-3-8B" not in hf[0]["id"]:
            fail("presets with a Hugging Face cache", "hf-cache group %r" % hf)
        else:
            ok("presets: the Hugging Face cache group holds %s" % hf[0]["id"])
            p = run(["estimate", "--preset", hf[0]["id"], "--format", "json"], env=env)
            try:
                d = json.loads(p.stdout)
                assert d["params"]["total"] == 8030261248 and d["preset"]["family"] == "hf-cache"
                ok("estimate --preset %s" % hf[0]["id"])
            except (ValueError, AssertionError, KeyError):
                fail("estimate --preset " + hf[0]["id"], "not the Llama-3-8B count", p)
    # Listings parse, ids are unique, and the catalogue holds what we rely on.
    for what, key, must in (("presets", "id", "llama-3-8b"), ("gpus", "id", "h100-80gb"),
                            ("precisions", "name", "bf16")):
        doc = json_of([what, "--format", "json"])
        if doc is None:
            continue
        ids = [d[key] for d in doc]
        if len(ids) != len(set(ids)) or must not in ids:
            fail("%s --format json" % what, "ids not unique or %s missing" % must)
        else:
            ok("%s --format json: %d entries" % (what, len(ids)))
    doc = json_of(["presets", "--format", "json"])
    if doc:
        llama = [d for d in doc if d["id"] == "llama-3-8b"][0]
        if llama["params_total"] != 8030261248 or llama["published"] is not True:
            fail("presets --format json", "llama-3-8b entry wrong: %r" % llama)
    # h100-80gb: 80 GiB (presets/gpus.yaml: marketed GB of HBM are binary)
    doc = json_of(["gpus", "--format", "json"])
    if doc:
        h100 = [d for d in doc if d["id"] == "h100-80gb"][0]
        if h100["memory_bytes"] != 80 * 2**30:
            fail("gpus --format json", "h100 memory_bytes %r" % h100["memory_bytes"])
    # bf16 is 2 bytes, int4 half a byte (FORMULAS.md section 2)
    doc = json_of(["precisions", "--format", "json"])
    if doc:
        by = {d["name"]: d["bytes"] for d in doc}
        if by.get("bf16") != 2 or by.get("int4") != 0.5:
            fail("precisions --format json", "bf16/int4 bytes %r %r" % (by.get("bf16"), by.get("int4")))


# --- sweep ------------------------------------------------------------------------
def csv_rows(args):
    p = run(args)
    if p.returncode != 0:
        fail(show(args), "failed", p)
        return None
    lines = p.stdout.decode().splitlines()
    head = lines[0].split(",")
    return head, [dict(zip(head, line.split(","))) for line in lines[1:]]


def sweep_checks(tmp):
    # Acceptance: one row per power of two from 1k to 128k (8 rows), memory columns.
    args = ["sweep", "seq=1k:128k", "--preset", "llama-3-8b", "--format", "csv"]
    r = csv_rows(args)
    if r:
        head, rows = r
        seqs = [int(x["seq"]) for x in rows]
        want = [1024 << i for i in range(8)]
        if seqs != want:
            fail(show(args), "seq column %r, expected %r" % (seqs, want))
        elif not all(c in head for c in ("memory_weights", "memory_kv_cache", "memory_total")):
            fail(show(args), "memory columns missing: %r" % head)
        else:
            ok("%s: 8 rows 1024..131072" % show(args))
    # Inference: the KV cache is 131,072 bytes per token (Llama-3-8B, bf16)
    args = ["sweep", "seq=1k:128k", "--preset", "llama-3-8b", "--set", "mode=infer",
            "--format", "csv"]
    r = csv_rows(args)
    if r:
        bad = [x for x in r[1] if int(x["memory_kv_cache"]) != 131072 * int(x["seq"])]
        if bad or len(r[1]) != 8:
            fail(show(args), "kv cache not 131072 x seq: %r" % bad[:2])
        else:
            ok("%s: kv = 131072 x seq" % show(args))
    # +N steps: 1, 4, 7, 10 (13 > 12 stops)
    args = ["sweep", "batch=1:12:+3", "--preset", "gpt2", "--format", "csv"]
    r = csv_rows(args)
    if r:
        got = [int(x["batch"]) for x in r[1]]
        if got != [1, 4, 7, 10]:
            fail(show(args), "batch column %r" % got)
        else:
            ok("%s: 1 4 7 10" % show(args))
    # A list axis; an impossible row says why and the others still come out.
    args = ["sweep", "heads=16,30,32", "--preset", "llama-3-8b", "--format", "csv"]
    r = csv_rows(args)
    if r:
        errs = [x.get("error", "") for x in r[1]]
        if len(r[1]) != 3 or errs[0] or errs[2] or "heads" not in errs[1]:
            fail(show(args), "rows/errors %r" % errs)
        else:
            ok("%s: the impossible row names heads" % show(args))
    # Table and Markdown: the categories add up to the total (within the
    # rounding of the 7 cells to 0.01), GPU ids are never cut, md names the unit.
    for fmt, units in (("table", "gib"), ("md", "gb")):
        args = ["sweep", "gpu=h100-80gb,m2-ultra-192gb", "--preset", "llama-3-8b", "--set",
                "mode=infer", "--format", fmt, "--units", units]
        p = run(args)
        text = p.stdout.decode()
        rows = [l.replace("|", " ").split() for l in text.splitlines()
                if "h100-80gb" in l or "m2-ultra-192gb" in l]
        if p.returncode != 0 or len(rows) != 2:
            fail(show(args), "expected 2 rows", p)
            continue
        bad = [r for r in rows if abs(sum(float(x) for x in r[1:7]) - float(r[7])) > 0.035]
        if bad or rows[1][0] != "m2-ultra-192gb":
            fail(show(args), "rows do not add up or the id is cut: %r" % rows)
        elif fmt == "md" and "weights (GB)" not in text:
            fail(show(args), "no unit in the Markdown header", p)
        else:
            ok("%s: rows add up, ids whole" % show(args))
    # JSON sweep parses; numeric axis values are integers
    p = run(["sweep", "seq=1k:8k", "--preset", "llama-3-8b", "--format", "json"])
    try:
        doc = json.loads(p.stdout)
        if [row["seq"] for row in doc["rows"]] != [1024, 2048, 4096, 8192]:
            fail("sweep --format json", "seq values %r" % [row["seq"] for row in doc["rows"]])
        else:
            ok("sweep --format json parses, 4 rows")
    except ValueError as e:
        fail("sweep --format json", "not JSON: %s" % e, p)


def stream_check(tmp):
    """A million rows stream: the process never holds the output.  The CSV is
    well over 100 MB; the peak resident size of llmem must stay far below it."""
    out = os.path.join(tmp, "big.csv")
    args = ["sweep", "seq=1:1000000:+1", "--preset", "llama-3-8b", "--set", "mode=infer",
            "--set", "gpu=none", "--format", "csv"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "wb") as f:
        p = subprocess.run([LLMEM] + args, stdout=f, stderr=subprocess.PIPE, env=ENV, timeout=600)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = os.path.getsize(out)
    with open(out, "rb") as f:
        lines = sum(1 for _ in f)
    os.unlink(out)
    if p.returncode != 0 or lines != 1000001:
        return fail(show(args), "exit %d, %d lines" % (p.returncode, lines))
    if peak_kib < before:
        peak_kib = before
    if peak_kib * 1024 > size / 2:
        return fail(show(args), "peak RSS %d KiB for %d bytes of output: buffered?" % (peak_kib, size))
    ok("%s: %d rows, %d MB written, peak RSS %d MiB" % (show(args), lines - 1, size >> 20,
                                                        peak_kib >> 10))


# --- every preset -------------------------------------------------------------------
def presets_check(tmp):
    """Every preset estimates with its own workload (exit 0), as JSON whose
    parts add up, and in inference mode too.  A preset whose `workload:` the
    engine refuses (pp not dividing layers, ...) is a defect in the preset."""
    p = run(["presets", "--format", "ids"])
    ids = p.stdout.decode().split()
    if p.returncode != 0 or len(ids) < 10:
        return fail("llmem presets --format ids", "fewer than 10 presets", p)
    bad = 0
    for pid in ids:
        for extra in ([], ["--set", "mode=infer"]):
            args = ["estimate", "--preset", pid, "--format", "json"] + extra
            p = run(args)
            if p.returncode != 0:
                bad += 1
                fail(show(args), "the preset's own configuration is refused", p)
                continue
            try:
                doc = json.loads(p.stdout)
            except ValueError as e:
                bad += 1
                fail(show(args), "not JSON: %s" % e, p)
                continue
            before = len(failures)
            check_sums(args, doc)
            bad += len(failures) - before
    if not bad:
        ok("%d presets estimate in training and inference" % len(ids))
    # Tables fit 80 columns and cut nothing mid-word with "~": every preset's
    # estimate table (the title of a long illustrative name moves the source
    # to its own line; "(illustrative)" once), and the GPU list.
    wide = []
    for args in [["estimate", "--preset", pid] for pid in ids] + [["gpus"], ["estimate", "--set", "gpu=none"]]:
        p = run(args)
        text = p.stdout.decode()
        body = text.split("Worked calculation")[0]
        for line in body.splitlines():
            # a cut ends a word with "~" ("RTX 30~"); "~8B" (approximately) is not one
            if len(line) > 80 or re.search(r"\S~(\s|$)", line):
                wide.append("%s: %r" % (show(args), line))
        if text.count("(illustrative)") > 1:
            wide.append("%s: '(illustrative)' twice" % show(args))
    if wide:
        fail("tables within 80 columns", "%d lines: %s" % (len(wide), "; ".join(wide[:3])))
    else:
        ok("every estimate table and the GPU list fit 80 columns, no '~' cuts")


# --- fit ---------------------------------------------------------------------------
def fit_checks(tmp):
    args = ["fit", "--preset", "llama-2-70b", "--set", "mode=infer", "--set", "seq=4096",
            "--set", "batch=1", "--gpu", "h100-80gb", "--solve", "gpus", "--format", "json"]
    p = run(args)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    if p.returncode != 0 or not doc:
        fail(show(args), "exit status / JSON", p)
    elif doc.get("found") is not True or doc.get("value") != 2 or doc.get("fits") is not True:
        fail(show(args), "expected found, value 2, fits: %r" % doc)
    else:
        ok("%s: smallest GPU count 2" % show(args))
    # the table says the count too
    args = ["fit", "--preset", "llama-2-70b", "--set", "mode=infer", "--set", "seq=4096",
            "--set", "batch=1", "--gpu", "h100-80gb", "--solve", "gpus"]
    p = run(args)
    if p.returncode != 0 or b"smallest GPU count" not in p.stdout:
        fail(show(args), "no 'smallest GPU count' line", p)
    else:
        ok(show(args))
    # does not fit: 137.95 GB of weights on one 24 GiB card -> exit 1
    args = ["fit", "--preset", "llama-2-70b", "--set", "mode=infer", "--gpu", "rtx4090-24gb"]
    p = run(args)
    if p.returncode != 1 or b"no" not in p.stdout:
        fail(show(args), "expected exit 1 and 'no'", p)
    else:
        ok("%s -> 1" % show(args))
    # fits: Llama-3-8B inference (14.96 GiB of weights) on an 80 GiB H100 -> exit 0
    args = ["fit", "--preset", "llama-3-8b", "--set", "mode=infer", "--set", "seq=4096",
            "--gpu", "h100-80gb"]
    p = run(args)
    if p.returncode != 0:
        fail(show(args), "expected exit 0", p)
    else:
        ok("%s -> 0" % show(args))
    # impossible even when solving: a 2^30-token context for training needs more
    # than any GPU count the solver may use -> exit 1, and still a clean answer
    args = ["fit", "--preset", "llama-3-8b", "--set", "seq=1G", "--gpu", "t4-16gb",
            "--solve", "gpus"]
    p = run(args)
    if p.returncode != 1 or p.stderr:
        fail(show(args), "expected exit 1 and no error", p)
    else:
        ok("%s -> 1" % show(args))


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "two.yaml"), "w") as f:
        f.write(TWO_PRESETS)
    for g in GROUPS:
        {"errors": errors, "json": json_checks, "sweep": sweep_checks, "fit": fit_checks,
         "stream": stream_check, "presets": presets_check}[g](tmp)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
