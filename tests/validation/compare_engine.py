"""Validation: PyTorch measurements vs docs/saved-tensors.md and vs the engine.

  compare_engine.py --formula-only        measured == the documented formulas
  compare_engine.py --probe PATH          measured == engine (engine_probe)
  add --measurements FILE to reuse what `measure.py --out FILE` measured.

Every measured value is produced here, at test time, by PyTorch (measure.py);
the engine's values come from engine_probe.  Nothing is copied from llmem's
output.  Checks:
  * parameters, weights, gradients, optimizer states (AdamW, SGD momentum,
    SGD) and KV-cache bytes: exact;
  * activations (profile eager): engine within 5% of the measurement, in
    fp32 and bf16, with and without dropout, with and without full
    recomputation (see docs/saved-tensors.md for what is counted).
Exit 0 pass, 1 fail, 77 skip (torch not importable).
"""

import argparse
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import torch  # noqa: F401
except Exception as exc:  # pragma: no cover - depends on the machine
    print("SKIP: torch is not importable with %s (%s); install Debian's python3-torch"
          % (sys.executable, exc))
    sys.exit(77)

import formula  # noqa: E402
import measure  # noqa: E402

ACT_TOLERANCE = 0.05
# The formulas leave out 0-dim scalars and use CUDA's fp32 LayerNorm
# statistics (the CPU build keeps them in bf16): at most 0.1% here.
FORMULA_TOLERANCE = 0.002

def expected_params(kind, sh):
    """Hand count (docs/formulas.md section 1)."""
    L, h, a, f, V = sh["layers"], sh["hidden"], sh["heads"], sh["ffn"], sh["vocab"]
    k = sh["kv_heads"]
    d = h // a
    if kind == "gpt2":
        per_layer = (3 * h * h + 3 * h) + (h * h + h) + (h * f + f) + (f * h + h) + 2 * (2 * h)
        return V * h + sh["positions"] * h + L * per_layer + 2 * h  # tied head
    per_layer = h * a * d + 2 * h * k * d + a * d * h + 3 * h * f + 2 * h
    return V * h + L * per_layer + h + h * V  # untied head


class Checker:
    def __init__(self):
        self.rows = []
        self.failed = 0

    def exact(self, case, what, measured, other, label):
        ok = other is not None and float(measured) == float(other)
        self._row(case, what, measured, other, ok, label + " exact")

    def within(self, case, what, measured, other, tol, label):
        ok = other is not None and measured > 0 and abs(other - measured) / measured <= tol
        self._row(case, what, measured, other, ok, "%s within %.1f%%" % (label, tol * 100))

    def _row(self, case, what, measured, other, ok, rule):
        if not ok:
            self.failed += 1
        if other is None:
            diff = ""
        elif not measured:
            diff = "%+.17g" % other
        else:
            diff = "%+.17g (%+.3f%%)" % (other - measured, 100.0 * (other - measured) / measured)
        self.rows.append((case, what, measured, other, diff, "ok" if ok else "FAIL", rule))

    def print(self, other_name):
        print("%-52s %-18s %14s %14s %20s  %s" % ("case", "quantity", "measured", other_name,
                                                  "diff", "result"))
        for case, what, m, o, diff, res, rule in self.rows:
            print("%-52s %-18s %14s %14s %20s  %s (%s)" % (
                case, what, "%d" % m, "-" if o is None else "%.17g" % o, diff, res, rule))


def run_formula(chk, results):
    for c, name, r in results:
        shape = r["shape"]
        B = formula.ACT_BYTES[c["dtype"]]
        P = expected_params(c["kind"], shape)
        chk.exact(name, "params", r["params"], P, "hand count")
        chk.exact(name, "weights", r["weights"], P * B, "P*B")
        chk.exact(name, "gradients", r["gradients"], P * B, "P*B")
        chk.exact(name, "optimizer adamw", r["optimizer"]["adamw"], 2 * P * B, "2*P*B")
        chk.exact(name, "optimizer sgdm", r["optimizer"]["sgdm"], P * B, "P*B")
        chk.exact(name, "optimizer sgd", r["optimizer"]["sgd"], 0, "0")
        kv = 2 * shape["layers"] * shape["kv_heads"] * (shape["hidden"] // shape["heads"]) \
            * shape["seq"] * shape["batch"] * B
        chk.exact(name, "kv_cache", r["kv_cache"], kv, "2Lkdsb*B")
        f = formula.totals(c["kind"], shape, c["dtype"], c["dropout"], c["recompute"])
        for b in r["act_blocks"]:
            chk.within(name, "act one block", b, f["block"], FORMULA_TOLERANCE, "formula")
        chk.within(name, "act embedding", max(r["act_embed"], 1), max(f["embed"], 1),
                   FORMULA_TOLERANCE, "formula")
        chk.within(name, "act head+loss", r["act_head"], f["head"], FORMULA_TOLERANCE, "formula")
        if c["recompute"] == "full":
            chk.within(name, "act recompute ws", r["recompute_working_set"], f["working"],
                       FORMULA_TOLERANCE, "formula")
        chk.within(name, "activations", r["activations"], f["total"], FORMULA_TOLERANCE, "formula")
    chk.print("formula")


def probe(path, c, shape, mode, optimizer):
    args = [path, "kind=" + c["kind"], "mode=" + mode, "dtype=" + c["dtype"],
            "optimizer=" + optimizer, "recompute=" + c["recompute"],
            "dropout=%d" % (1 if c["dropout"] else 0)]
    for key in ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "seq", "batch", "positions"):
        if key in shape:
            args.append("%s=%d" % (key, shape[key]))
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        print("engine_probe failed (%d): %s %s" % (p.returncode, " ".join(args), p.stderr.strip()))
        return None
    return json.loads(p.stdout)


def run_engine(chk, probe_path, results):
    details = []
    for c, name, r in results:
        shape = r["shape"]
        e = probe(probe_path, c, shape, "train", "adamw")
        g = (e or {}).get("per_gpu", {})
        chk.exact(name, "params", r["params"], None if e is None else e["params"], "engine")
        chk.exact(name, "weights", r["weights"], g.get("weights"), "engine")
        chk.exact(name, "gradients", r["gradients"], g.get("gradients"), "engine")
        chk.exact(name, "optimizer adamw", r["optimizer"]["adamw"], g.get("optimizer"), "engine")
        chk.within(name, "activations", r["activations"], g.get("activations"), ACT_TOLERANCE,
                   "engine")
        # One layer: what it saves (full recomputation: what the checkpoint keeps).
        chk.within(name, "act per layer", r["act_blocks"][0],
                   None if e is None else e["act_bytes_per_layer"], ACT_TOLERANCE, "engine")
        if e is not None:
            details.append((name, r, e, c))
        if c["recompute"] != "none":
            continue  # the rest does not depend on recomputation (nor on dropout)
        for opt in ("sgdm", "sgd"):
            eo = probe(probe_path, c, shape, "train", opt)
            chk.exact(name, "optimizer " + opt, r["optimizer"][opt],
                      None if eo is None else eo["per_gpu"]["optimizer"], "engine")
        ei = probe(probe_path, c, shape, "infer", "adamw")
        chk.exact(name, "kv_cache (infer)", r["kv_cache"],
                  None if ei is None else ei["per_gpu"]["kv_cache"], "engine")
    chk.print("engine")
    # Where activations differ: the measured split and the documented terms,
    # so that the missing or extra tensors can be named.
    for name, r, e, c in details:
        eng = e["per_gpu"]["activations"]
        if abs(eng - r["activations"]) <= ACT_TOLERANCE * r["activations"]:
            continue
        sh = r["shape"]
        print("\n%s: engine activations %.17g vs measured %d (engine per layer %.17g)"
              % (name, eng, r["activations"], e.get("act_bytes_per_layer", 0)))
        print("  measured: embedding %d, per block %s, head+loss %d, shared %d, recompute working set %d"
              % (r["act_embed"], r["act_blocks"], r["act_head"], r["act_shared"],
                 r["recompute_working_set"]))
        print("  saved tensors per block (docs/saved-tensors.md):")
        for t, v in formula.block_terms(c["kind"], sh, c["dtype"], c["dropout"]):
            print("    %10d  %s" % (v, t))
        for t, v in formula.embed_terms(c["kind"], sh, c["dtype"], c["dropout"]) + \
                formula.head_terms(c["kind"], sh, c["dtype"]) + \
                formula.shared_terms(c["kind"], sh, c["dtype"], c["recompute"]):
            print("    %10d  %s (once)" % (v, t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", help="path of engine_probe")
    ap.add_argument("--formula-only", action="store_true")
    ap.add_argument("--measurements", help="JSON written by measure.py --out (measured now if absent)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    chk = Checker()
    if not args.formula_only and (not args.probe or not os.access(args.probe, os.X_OK)):
        print("FAIL: engine_probe not given or not executable: %r" % args.probe)
        return 1
    results = measure.measure_all(args.measurements)
    if args.formula_only:
        run_formula(chk, results)
    else:
        run_engine(chk, args.probe, results)
    print("\n%d check(s) failed" % chk.failed if chk.failed else "\nall %d checks passed" % len(chk.rows))
    return 1 if chk.failed else 0


if __name__ == "__main__":
    sys.exit(main())
