"""Memory measurements of the tiny models in hf_models.py.

  /usr/bin/python3 measure.py            # table of every case
  /usr/bin/python3 measure.py --explain  # plus the saved tensors of one block,
                                         # with the source line that saved each

What is measured (definitions in docs/saved-tensors.md):
  params      sum of numel over unique parameters
  weights     bytes of those parameters (their dtype)
  gradients   bytes of p.grad after one backward
  optimizer   bytes of optimizer state tensors after one step (AdamW: exp_avg
              + exp_avg_sq; SGD momentum: momentum_buffer); the 0-dim 'step'
              counters are reported apart (optimizer_step_counters)
  activations bytes saved for backward during one training forward, seen by
              torch.autograd.graph.saved_tensors_hooks, de-duplicated by
              storage; parameters and buffers are model state, not activations
  kv_cache    bytes of the K and V tensors the cache holds after a decode step
              at context length s
"""

import argparse
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

try:
    import torch  # noqa: E402
except Exception as exc:  # pragma: no cover - depends on the machine
    if __name__ != "__main__":
        raise
    print("SKIP: torch is not importable with %s (%s); install Debian's python3-torch"
          % (sys.executable, exc))
    sys.exit(77)

import hf_models  # noqa: E402

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}

# The shapes.  Small enough that every case runs in well under a second on
# one core; head_dim = hidden / heads.
SHAPES = {
    "gpt2": dict(layers=3, hidden=128, heads=4, kv_heads=4, ffn=512, vocab=1000,
                 positions=256, seq=128, batch=2),
    "llama": dict(layers=3, hidden=128, heads=8, kv_heads=2, ffn=352, vocab=1000,
                  seq=128, batch=2),
}


# More shapes, for the checks: MHA Llama (repeat_kv is the identity), MQA
# Llama, other s, b and head counts.
EXTRA_SHAPES = [
    ("gpt2", dict(layers=2, hidden=96, heads=8, kv_heads=8, ffn=384, vocab=777, positions=128,
                  seq=96, batch=1)),
    ("llama", dict(layers=2, hidden=64, heads=4, kv_heads=4, ffn=160, vocab=500, seq=64, batch=3)),
    ("llama", dict(layers=2, hidden=96, heads=6, kv_heads=1, ffn=256, vocab=640, seq=80, batch=2)),
]


def case_name(c, sh=None):
    name = "%s %s drop=%d rec=%s" % (c["kind"], c["dtype"], c["dropout"], c["recompute"])
    if sh is not None:
        name += " s%d b%d a%d k%d" % (sh["seq"], sh["batch"], sh["heads"], sh["kv_heads"])
    return name


def all_cases():
    """(case, shape or None for SHAPES, name): every case the tests check."""
    todo = [(c, None, case_name(c)) for c in cases()]
    for kind, sh in EXTRA_SHAPES:
        for dt in ("fp32", "bf16"):
            for drop, rec in ((True, "none"), (False, "full")):
                c = dict(kind=kind, dtype=dt, dropout=drop, recompute=rec)
                todo.append((c, sh, case_name(c, sh)))
    return todo


def measure_all(path=None):
    """[(case, name, result)] for all_cases(); read from `path` when it holds
    them (written by --out in the same build), else measured now."""
    stored = {}
    if path and os.path.exists(path):
        with open(path) as fh:
            stored = json.load(fh)
    out = []
    for c, sh, name in all_cases():
        r = stored.get(name)
        if r is None:
            r = measure(c, shape=sh)
        out.append((c, name, r))
    return out


def cases():
    for kind in ("gpt2", "llama"):
        for dt in ("fp32", "bf16"):
            for drop in (False, True):
                for rec in ("none", "full"):
                    yield dict(kind=kind, dtype=dt, dropout=drop, recompute=rec)


def _storage(t):
    st = t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage().untyped()
    return st.data_ptr(), st.nbytes()


class SavedLog:
    """Records every tensor autograd saves, with the segment that saved it."""

    def __init__(self, tracker, state_ptrs, where=False):
        self.tracker = tracker
        self.state_ptrs = state_ptrs  # parameters and buffers
        self.where = where
        self.phase = "forward"
        self.keep = []
        self.events = []  # (phase, segment, ptr, nbytes, shape, dtype, is_view, site)

    def pack(self, t):
        ptr, nbytes = _storage(t)
        site = ""
        if self.where:
            for fr in reversed(traceback.extract_stack()[:-1]):
                if fr.filename.endswith("hf_models.py"):
                    site = "%s:%d %s" % (fr.name, fr.lineno, fr.line.strip())
                    break
        full = t.numel() * t.element_size()
        self.events.append((self.phase, self.tracker.segment, ptr, nbytes, tuple(t.shape),
                            str(t.dtype).replace("torch.", ""), full != nbytes, site))
        # Keep every saved tensor alive until the end of the run, so that no
        # storage address is reused and data_ptr identifies a storage.
        self.keep.append(t)
        return t

    def unpack(self, t):
        return t

    def forward_bytes(self):
        """Bytes per segment; a storage saved in several segments is 'shared'."""
        segs = {}
        size = {}
        for ph, seg, ptr, nb, *_ in self.events:
            if ph != "forward" or ptr in self.state_ptrs:
                continue
            segs.setdefault(ptr, set()).add(seg)
            size[ptr] = nb
        out = {}
        for ptr, ss in segs.items():
            key = ss.pop() if len(ss) == 1 else "shared"
            out[key] = out.get(key, 0) + size[ptr]
        return out, set(segs)

    def recompute_extra(self, forward_ptrs):
        """Per block: bytes saved while it is recomputed in backward, beyond
        the storages still held from the forward (its input)."""
        per = {}
        seen = {}
        for ph, seg, ptr, nb, *_ in self.events:
            if ph != "backward" or ptr in self.state_ptrs or ptr in forward_ptrs:
                continue
            if ptr in seen.setdefault(seg, set()):
                continue
            seen[seg].add(ptr)
            per[seg] = per.get(seg, 0) + nb
        return per


def model_for(case, shape=None):
    cfg = dict(SHAPES[case["kind"]] if shape is None else shape)
    cfg["dropout"] = 0.1 if case["dropout"] else 0.0
    cfg["seed"] = 1234
    m = hf_models.build(case["kind"], cfg).to(DTYPES[case["dtype"]])
    return m, cfg


def unique_params(m):
    seen = {}
    for p in m.parameters():  # parameters() already skips the tied duplicate
        seen[id(p)] = p
    return list(seen.values())


def measure(case, shape=None, where=False):
    m, cfg = model_for(case, shape)
    dt = DTYPES[case["dtype"]]
    s, b = cfg["seq"], cfg["batch"]
    params = unique_params(m)
    res = dict(case)
    res["shape"] = {k: v for k, v in cfg.items() if k not in ("seed", "dropout")}
    res["params"] = sum(p.numel() for p in params)
    res["weights"] = sum(p.numel() * p.element_size() for p in params)

    gen = torch.Generator().manual_seed(99)
    ids = torch.randint(0, cfg["vocab"], (b, s), generator=gen)
    m.train()
    m.gradient_checkpointing = case["recompute"] == "full"
    state = {_storage(p)[0] for p in m.parameters()} | {_storage(x)[0] for x in m.buffers()}
    log = SavedLog(m.tracker, state, where)
    torch.manual_seed(7)
    with torch.autograd.graph.saved_tensors_hooks(log.pack, log.unpack):
        loss, logits, _ = m(ids, labels=ids)
        del logits
        log.phase = "backward"
        loss.backward()
    per_seg, fwd_ptrs = log.forward_bytes()
    blocks = [per_seg.get("block%d" % i, 0) for i in range(cfg["layers"])]
    res["act_embed"] = per_seg.get("embed", 0)
    res["act_blocks"] = blocks
    res["act_head"] = per_seg.get("head", 0)
    res["act_shared"] = per_seg.get("shared", 0)
    res["act_forward"] = sum(per_seg.values())
    extra = log.recompute_extra(fwd_ptrs)
    res["recompute_working_set"] = max(extra.values()) if extra else 0
    # The figure compared with the engine: everything saved by the forward,
    # plus (full recomputation) one block's working set while it is recomputed.
    res["activations"] = res["act_forward"] + res["recompute_working_set"]
    res["gradients"] = sum(p.grad.numel() * p.grad.element_size() for p in params)
    if where:
        res["events"] = log.events
        res["state_ptrs"] = state

    # One optimizer step each.
    res["optimizer"] = {}
    res["optimizer_step_counters"] = 0
    for name, make in (("adamw", lambda ps: torch.optim.AdamW(ps, lr=1e-3)),
                       ("sgdm", lambda ps: torch.optim.SGD(ps, lr=1e-3, momentum=0.9)),
                       ("sgd", lambda ps: torch.optim.SGD(ps, lr=1e-3))):
        opt = make(params)
        opt.step()
        nb = 0
        for st in opt.state.values():
            for key, v in st.items():
                if not torch.is_tensor(v):
                    continue
                if key == "step":
                    res["optimizer_step_counters"] += v.numel() * v.element_size()
                else:
                    nb += v.numel() * v.element_size()
        res["optimizer"][name] = nb

    # KV cache: prefill s-1 tokens, then one decode step at context s.
    m.eval()
    with torch.no_grad():
        _, _, past = m(ids[:, : s - 1])
        _, _, past = m(ids[:, s - 1:], past=past)
    res["kv_cache"] = sum(t.numel() * t.element_size() for kv in past for t in kv)
    res["kv_expected_formula"] = (2 * cfg["layers"] * cfg["kv_heads"] * (cfg["hidden"] // cfg["heads"])
                                  * s * b * torch.tensor([], dtype=dt).element_size())
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--explain", action="store_true", help="list the tensors block 0 saves")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", help="measure every test case and write them to this JSON file")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.out:
        res = {name: r for _, name, r in measure_all()}
        tmp = args.out + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(res, fh, indent=1, sort_keys=True)
        os.replace(tmp, args.out)
        print("wrote %d measured cases to %s" % (len(res), args.out))
        return
    rows = []
    for c in cases():
        r = measure(c, where=args.explain)
        rows.append(r)
        if args.explain and c["recompute"] == "none":
            print("== %s %s dropout=%s" % (c["kind"], c["dtype"], c["dropout"]))
            seen = set()
            for ph, seg, ptr, nb, shape, dtype, view, site in r["events"]:
                if ph != "forward" or seg not in ("embed", "block0", "head"):
                    continue
                if ptr in r["state_ptrs"]:
                    tag = "param"  # model state, not an activation
                elif ptr in seen:
                    tag = "again"  # storage already counted
                else:
                    tag = "COUNT"
                seen.add(ptr)
                print("  %-6s %-18s %-9s %9d %-5s%s  %s" % (seg, shape, dtype, nb, tag,
                                                         " view" if view else "", site))
        r.pop("events", None)
        r.pop("state_ptrs", None)
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        return
    for r in rows:
        print("%-5s %-4s drop=%d rec=%-4s P=%d act=%d (emb %d blocks %s head %d shared %d rws %d) "
              "kv=%d/%d opt=%s grads=%d" % (
                  r["kind"], r["dtype"], r["dropout"], r["recompute"], r["params"], r["activations"],
                  r["act_embed"], r["act_blocks"], r["act_head"], r["act_shared"],
                  r["recompute_working_set"], r["kv_cache"], r["kv_expected_formula"],
                  r["optimizer"], r["gradients"]))


if __name__ == "__main__":
    main()
