#!/usr/bin/python3
"""A plain-Python estimator, written by us (llmem's authors) for the benchmark.

It performs the same kind of work as one llmem engine call -- the exact
parameter count of a decoder (attention with GQA, gated/plain MLP, MoE experts
and router, norms, embeddings, LM head) and the training/inference memory of
docs/formulas.md sections 3-4 (weights, gradients, AdamW states with an fp32
master copy, Korthikanti activations with FlashAttention, KV cache, overhead,
tensor/pipeline parallelism and ZeRO) -- so that the figure "estimates per
second in Python" is comparable with llmem's.  It is NOT a reference
implementation of llmem's numbers: it follows the published formulas, and its
totals are printed so they can be compared by eye.

No third-party packages: run it with Debian's /usr/bin/python3.

  estimator.py bench [SECONDS]     estimates/s and params/s (best of 5 rounds)
  estimator.py sweep N             N CSV rows (seq = 1..N) to stdout
"""
import sys
import time


def params(m):
    h, a, L, V = m["hidden"], m["heads"], m["layers"], m["vocab"]
    k = m.get("kv_heads") or a
    d = m.get("head_dim") or h // a
    attn = h * a * d + 2 * h * k * d + a * d * h
    mats = 3 if m.get("gated") else 2
    f = m["ffn"]
    E, e = m.get("experts", 0), m.get("active_experts", 0)
    if E:
        mlp = E * mats * h * f + h * E  # experts + router
        active_mlp = e * mats * h * f + h * E
    else:
        mlp = active_mlp = mats * h * f
    norms = 2 * h  # RMSNorm: weight only, two per layer
    layer = attn + mlp + norms
    emb = V * h
    head = 0 if m.get("tied") else V * h
    total = L * layer + emb + head + h  # + final norm
    active = L * (attn + active_mlp + norms) + emb + head + h
    return {"total": total, "active": active, "embedding": emb, "lm_head": head,
            "per_layer": layer, "attention": L * attn, "mlp": L * mlp}


def estimate(m, w):
    p = params(m)
    t, pp, dp, zero = w["tp"], w["pp"], w["dp"], w["zero"]
    L, h, a = m["layers"], m["hidden"], m["heads"]
    k = m.get("kv_heads") or a
    d = m.get("head_dim") or h // a
    s, b = w["seq"], w["batch"]
    # Most-loaded pipeline stage: L/pp layers + embeddings (first stage).
    stage = (L // pp) * p["per_layer"] + p["embedding"] + p["lm_head"] / pp
    shard = stage / t
    wb = w["weights_bytes"]
    weights = shard * wb
    train = w["mode"] != "infer"
    grads = shard * w["grad_bytes"] if train else 0.0
    optim = shard * (4 + 8) if train else 0.0  # fp32 master + AdamW m and v
    if zero >= 1:
        optim /= dp
    if zero >= 2:
        grads /= dp
    if zero >= 3:
        weights /= dp
    if train:
        # Korthikanti et al. 2022, flash (no a*s^2 scores), sequence parallel off:
        per_layer = s * b * h * (10 + 24 / t)
        if w["recompute"] == "full":
            per_layer = 2 * s * b * h
        acts = per_layer * L  # 1F1B: first stage holds L layers' worth
        acts += 4.0 * s * b * m["vocab"] / t  # fp32 logits for the loss
        kv = 0.0
    else:
        acts = s * b * h * 2.0 * 4 + 4.0 * b * m["vocab"]
        kv = 2.0 * L * k * d * s * b * w["kv_bytes"] / (t if k >= t else 1) / pp
    overhead = w["overhead"]
    total = weights + grads + optim + acts + kv + overhead
    return {"params": p, "weights": weights, "gradients": grads, "optimizer": optim,
            "activations": acts, "kv_cache": kv, "overhead": overhead, "total": total,
            "gpus": t * pp * dp}


LLAMA3_8B = {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336,
             "gated": True, "vocab": 128256, "tied": False}
MIXTRAL = dict(LLAMA3_8B, vocab=32000, experts=8, active_experts=2)
TRAIN = {"mode": "train", "seq": 2048, "batch": 1, "tp": 1, "pp": 1, "dp": 1, "zero": 0,
         "weights_bytes": 2, "grad_bytes": 2, "kv_bytes": 2, "recompute": "none",
         "overhead": 1073741824.0}


def rate(fn, secs):
    n = 1000
    while True:
        t0 = time.perf_counter()
        fn(n)
        t = time.perf_counter() - t0
        if t > 0.05:
            break
        n *= 4
    n = int(n * secs / t) + 1
    rates = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn(n)
        rates.append(n / (time.perf_counter() - t0))
    rates.sort()
    return rates[-1], rates[2]


def bench(secs):
    def est(model, work):
        def run(n):
            w = dict(work)
            acc = 0.0
            for i in range(n):
                w["seq"] = 1024 + ((i & 255) << 4)
                w["batch"] = 1 + (i & 3)
                acc += estimate(model, w)["total"]
            return acc
        return run

    def par(model):
        def run(n):
            m = dict(model)
            acc = 0
            for i in range(n):
                m["layers"] = 16 + (i & 63)
                acc += params(m)["total"]
            return acc
        return run

    print("python %s (%s): one process, best of 5 rounds of ~%.1f s"
          % (sys.version.split()[0], sys.executable, secs))
    for label, fn in (("estimate Llama-3-8B train (1 GPU)", est(LLAMA3_8B, TRAIN)),
                      ("estimate Llama-3-8B infer", est(LLAMA3_8B, dict(TRAIN, mode="infer"))),
                      ("estimate Mixtral-8x7B train", est(MIXTRAL, TRAIN)),
                      ("params only Llama-3-8B", par(LLAMA3_8B))):
        best, med = rate(fn, secs)
        print("%-44s best %12.0f /s  median %12.0f /s  (%.1f ns/call)"
              % (label, best, med, 1e9 / best))
    p = params(LLAMA3_8B)
    e = estimate(LLAMA3_8B, TRAIN)
    print("check: Llama-3-8B params %d (published 8030261248); train seq 2048 total %.0f bytes"
          % (p["total"], e["total"]))


def sweep(n):
    out = sys.stdout
    out.write("seq,params,weights,gradients,optimizer,activations,kv_cache,overhead,total\n")
    w = dict(TRAIN)
    buf = []
    for s in range(1, n + 1):
        w["seq"] = s
        e = estimate(LLAMA3_8B, w)
        buf.append("%d,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n"
                   % (s, e["params"]["total"], e["weights"], e["gradients"], e["optimizer"],
                      e["activations"], e["kv_cache"], e["overhead"], e["total"]))
        if len(buf) >= 4096:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "bench":
        bench(float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
    elif len(sys.argv) >= 3 and sys.argv[1] == "sweep":
        sweep(int(sys.argv[2]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
