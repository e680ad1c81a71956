"""The saved-tensor lists of docs/saved-tensors.md as arithmetic.

Each function returns a list of (name, bytes) so the doc, the per-tensor
comparison and the totals all come from one place.  Conventions (CUDA, the
target of the estimate): LayerNorm mean/rstd in fp32, dropout masks bool
(1 byte), 0-dim scalars not counted.  The CPU build of PyTorch used for the
measurement differs only in the small terms listed by cpu_small_terms().
"""

ACT_BYTES = {"fp32": 4, "bf16": 2}


def _dims(shape):
    s, b, h = shape["seq"], shape["batch"], shape["hidden"]
    a = shape["heads"]
    k = shape.get("kv_heads", a)
    d = h // a
    return s, b, h, a, k, d, shape["ffn"], shape["vocab"]


def norm_terms(kind, shape, B, prefix):
    """A norm followed by the matmul that reads its output."""
    s, b, h = shape["seq"], shape["batch"], shape["hidden"]
    if kind == "layernorm":
        return [(prefix + " LayerNorm input", s * b * h * B),
                (prefix + " LayerNorm mean+rstd (fp32)", 2 * s * b * 4),
                (prefix + " LayerNorm output (next matmul's input)", s * b * h * B)]
    # LlamaRMSNorm: x.to(fp32) -> pow/mul keep the fp32 x (the input itself
    # when B == 4), rsqrt keeps s*b fp32, weight*x.to(dtype) keeps the
    # normalised x in act dtype, the next Linear keeps the norm output.
    return [(prefix + " RMSNorm input upcast to fp32", s * b * h * 4),
            (prefix + " RMSNorm rsqrt(var+eps) (fp32)", s * b * 4),
            (prefix + " RMSNorm normalised x (act dtype)", s * b * h * B),
            (prefix + " RMSNorm output (next Linear's input)", s * b * h * B)]


def block_terms(kind, shape, dtype, dropout):
    """Tensors one decoder block saves for backward (eager profile)."""
    s, b, h, a, k, d, f, V = _dims(shape)
    B = ACT_BYTES[dtype]
    sb = s * b
    t = []
    if kind == "gpt2":
        t += norm_terms("layernorm", shape, B, "ln_1")
        t += [("Q, contiguous copy made by matmul", a * s * b * d * B),
              ("K^T, contiguous copy made by matmul", a * s * b * d * B),
              ("softmax output (act dtype)", a * s * s * b * B)]
        soft_fp32 = False
    else:
        t += norm_terms("rmsnorm", shape, B, "input_layernorm")
        t += [("Q after RoPE, contiguous copy made by matmul", a * s * b * d * B),
              ("K after RoPE, expanded to a heads by repeat_kv", a * s * b * d * B),
              ("softmax output (fp32)", a * s * s * b * 4)]
        soft_fp32 = True
    if dropout:
        t.append(("attention dropout mask (bool)", a * s * s * b))
    if dropout or (soft_fp32 and B != 4):
        t.append(("attention probabilities fed to P@V (act dtype)", a * s * s * b * B))
    t.append(("V, %s" % ("contiguous copy made by matmul" if kind == "gpt2"
                         else "expanded to a heads by repeat_kv"), a * s * b * d * B))
    t.append(("attention output (out-projection input)", s * b * a * d * B))
    if dropout:
        t.append(("attention-output dropout mask (bool)", sb * h))
    if kind == "gpt2":
        t += norm_terms("layernorm", shape, B, "ln_2")
        t += [("gelu_new: c_fc output x (pow input)", sb * f * B),
              ("gelu_new: tanh output", sb * f * B),
              ("gelu_new: 0.5*x", sb * f * B),
              ("gelu_new: 1+tanh", sb * f * B),
              ("gelu_new output (c_proj input)", sb * f * B)]
    else:
        t += norm_terms("rmsnorm", shape, B, "post_attention_layernorm")
        t += [("gate_proj output (SiLU input)", sb * f * B),
              ("SiLU output", sb * f * B),
              ("up_proj output", sb * f * B),
              ("SiLU(gate)*up (down_proj input)", sb * f * B)]
    if dropout:
        t.append(("MLP-output dropout mask (bool)", sb * h))
    return t


def embed_terms(kind, shape, dtype, dropout):
    s, b, h = shape["seq"], shape["batch"], shape["hidden"]
    t = [("token ids (int64, kept by the embedding)", s * b * 8)]
    if kind == "gpt2":
        t.append(("position ids (int64, 1 x s)", s * 8))
    if dropout:
        t.append(("embedding dropout mask (bool)", s * b * h))
    return t


def head_terms(kind, shape, dtype):
    s, b, h, a, k, d, f, V = _dims(shape)
    B = ACT_BYTES[dtype]
    t = norm_terms("layernorm" if kind == "gpt2" else "rmsnorm", shape, B, "final")
    t += [("log_softmax output (fp32 logits)", s * b * V * 4),
          ("shifted labels (int64)", s * b * 8)]
    return t


def shared_terms(kind, shape, dtype, recompute):
    """Saved once per forward, by every layer (same storage)."""
    s, b, h, a, k, d, f, V = _dims(shape)
    B = ACT_BYTES[dtype]
    t = []
    if kind == "llama":
        t.append(("RoPE cos and sin (1 x s x d each)", 2 * s * d * B))
    if recompute == "full":
        t.append(("causal mask (checkpoint keeps every tensor argument)", s * s * B))
    return t


def input_reused(kind, dtype):
    """True when the block's first saved tensor is its input itself, so the
    recomputation does not add it again."""
    return kind == "gpt2" or ACT_BYTES[dtype] == 4


def totals(kind, shape, dtype, dropout, recompute):
    B = ACT_BYTES[dtype]
    s, b, h = shape["seq"], shape["batch"], shape["hidden"]
    L = shape["layers"]
    blk = sum(v for _, v in block_terms(kind, shape, dtype, dropout))
    emb = sum(v for _, v in embed_terms(kind, shape, dtype, dropout))
    head = sum(v for _, v in head_terms(kind, shape, dtype))
    shared = sum(v for _, v in shared_terms(kind, shape, dtype, recompute))
    if recompute == "full":
        kept = s * b * h * B
        work = blk - (kept if input_reused(kind, dtype) else 0)
        total = emb + L * kept + head + shared + work
        return dict(block=kept, embed=emb, head=head, shared=shared, working=work, total=total)
    return dict(block=blk, embed=emb, head=head, shared=shared, working=0,
                total=emb + L * blk + head + shared)
