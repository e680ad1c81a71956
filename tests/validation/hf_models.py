"""Tiny decoder models in plain PyTorch, written the way Hugging Face's eager
modelling code writes them (transformers' modeling_gpt2.py and
modeling_llama.py with attn_implementation="eager"), so that the tensors
autograd saves for backward are the ones a Hugging Face model saves.

No transformers import: only torch (Debian's python3-torch).

Deliberate, documented differences from the Hugging Face code (see
docs/saved-tensors.md, "Measurement conventions"):
  * Dropout calls torch.native_dropout, which is what F.dropout dispatches to
    on CUDA (the CPU path of F.dropout multiplies by a noise tensor of the
    activation dtype instead of keeping a 1-byte bool mask).
  * The causal mask is an additive float mask made once per forward, as in
    current transformers; adding it saves nothing for backward.
  * The Llama-style model puts dropout at the same four sites as GPT-2
    (embedding output, attention probabilities, attention output, MLP output)
    when dropout is on; Hugging Face's Llama only has attention_dropout.
  * The loss is Hugging Face's ForCausalLMLoss: logits upcast to fp32, labels
    shifted by padding with -100, mean cross-entropy over all b*s positions.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint


class Tracker:
    """Names the part of the model that is running, so that saved tensors
    can be attributed to the embedding, a block, or the head."""

    def __init__(self):
        self.segment = "embed"


def dropout(x, p, training):
    # What F.dropout does on CUDA: native_dropout keeps a bool mask.
    if not training or p == 0.0:
        return x
    return torch.native_dropout(x, p, True)[0]


def causal_mask(s, dtype, device):
    """(1, 1, s, s) additive mask: 0 on and below the diagonal, dtype min above."""
    m = torch.full((s, s), torch.finfo(dtype).min, dtype=dtype, device=device)
    return torch.triu(m, diagonal=1)[None, None, :, :]


# --------------------------------------------------------------------------- #
# GPT-2 style
# --------------------------------------------------------------------------- #

class Conv1D(nn.Module):
    """transformers.pytorch_utils.Conv1D: a linear layer with a transposed weight."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))
        nn.init.normal_(self.weight, std=0.02)

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        return x.view(size_out)


def gelu_new(x):
    # transformers.activations.NewGELUActivation (GPT-2's "gelu_new").
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Attention(nn.Module):
    def __init__(self, cfg, tracker):
        super().__init__()
        self.h = cfg["hidden"]
        self.a = cfg["heads"]
        self.d = self.h // self.a
        self.p = cfg["dropout"]
        self.c_attn = Conv1D(3 * self.h, self.h)
        self.c_proj = Conv1D(self.h, self.h)

    def forward(self, x, mask, past=None):
        b, s, _ = x.shape
        q, k, v = self.c_attn(x).split(self.h, dim=2)
        q = q.view(b, s, self.a, self.d).transpose(1, 2)
        k = k.view(b, s, self.a, self.d).transpose(1, 2)
        v = v.view(b, s, self.a, self.d).transpose(1, 2)
        if past is not None:
            k = torch.cat((past[0], k), dim=-2)
            v = torch.cat((past[1], v), dim=-2)
        present = (k, v)
        # eager_attention_forward of modeling_gpt2.py
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.full([], v.size(-1) ** 0.5, dtype=w.dtype, device=w.device)
        if mask is not None:
            w = w + mask
        w = F.softmax(w, dim=-1)
        w = w.type(v.dtype)
        w = dropout(w, self.p, self.training)
        o = torch.matmul(w, v)
        o = o.transpose(1, 2).reshape(b, s, self.h).contiguous()
        o = self.c_proj(o)
        o = dropout(o, self.p, self.training)
        return o, present


class GPT2MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg["ffn"], cfg["hidden"])
        self.c_proj = Conv1D(cfg["hidden"], cfg["ffn"])
        self.p = cfg["dropout"]

    def forward(self, x):
        x = gelu_new(self.c_fc(x))
        x = self.c_proj(x)
        return dropout(x, self.p, self.training)


class GPT2Block(nn.Module):
    def __init__(self, cfg, tracker, idx):
        super().__init__()
        self.tracker = tracker
        self.idx = idx
        self.ln_1 = nn.LayerNorm(cfg["hidden"], eps=1e-5)
        self.attn = GPT2Attention(cfg, tracker)
        self.ln_2 = nn.LayerNorm(cfg["hidden"], eps=1e-5)
        self.mlp = GPT2MLP(cfg)

    def forward(self, x, mask, past=None):
        self.tracker.segment = "block%d" % self.idx
        a, present = self.attn(self.ln_1(x), mask, past)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, present


class GPT2LM(nn.Module):
    kind = "gpt2"

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tracker = Tracker()
        self.wte = nn.Embedding(cfg["vocab"], cfg["hidden"])
        self.wpe = nn.Embedding(cfg["positions"], cfg["hidden"])
        self.h = nn.ModuleList([GPT2Block(cfg, self.tracker, i) for i in range(cfg["layers"])])
        self.ln_f = nn.LayerNorm(cfg["hidden"], eps=1e-5)
        self.lm_head = nn.Linear(cfg["hidden"], cfg["vocab"], bias=False)
        self.lm_head.weight = self.wte.weight  # tied
        self.gradient_checkpointing = False

    def forward(self, ids, labels=None, past=None):
        self.tracker.segment = "embed"
        b, s = ids.shape
        start = 0 if past is None else past[0][0].shape[-2]
        pos = torch.arange(start, start + s, dtype=torch.long, device=ids.device).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        x = dropout(x, self.cfg["dropout"], self.training)
        mask = causal_mask(s, x.dtype, x.device) if s > 1 else None
        presents = []
        for i, blk in enumerate(self.h):
            if self.gradient_checkpointing and self.training:
                x, _ = torch.utils.checkpoint.checkpoint(blk, x, mask, use_reentrant=True)
            else:
                x, pr = blk(x, mask, None if past is None else past[i])
                presents.append(pr)
        self.tracker.segment = "head"
        x = self.ln_f(x)
        logits = self.lm_head(x)
        loss = causal_lm_loss(logits, labels) if labels is not None else None
        return loss, logits, presents


# --------------------------------------------------------------------------- #
# Llama style
# --------------------------------------------------------------------------- #

def mean_last(x):
    """x.mean(-1, keepdim=True), saving for backward what PyTorch 2.x saves.

    PyTorch 1.13's MeanBackward1 keeps its whole input (it needs numel());
    PyTorch 2.x keeps only sizes and numel (derivatives.yaml: mean.dim ->
    mean_backward(grad, self.sym_sizes(), dim, self.sym_numel(), keepdim)).
    sum / n is the same value and saves only sizes in both versions, so the
    measurement matches what Hugging Face's LlamaRMSNorm saves on PyTorch 2.x.
    """
    return x.sum(-1, keepdim=True) / x.shape[-1]


class LlamaRMSNorm(nn.Module):
    def __init__(self, h, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(h))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = mean_last(hidden_states.pow(2))
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


class LlamaRotaryEmbedding(nn.Module):
    def __init__(self, d, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    @torch.no_grad()
    def forward(self, x, position_ids):
        inv = self.inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
        pos = position_ids[:, None, :].float()
        freqs = (inv.float() @ pos.float()).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype=x.dtype), emb.sin().to(dtype=x.dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    cos = cos.unsqueeze(1)
    sin = sin.unsqueeze(1)
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


def repeat_kv(hidden_states, n_rep):
    batch, kvh, slen, d = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, kvh, n_rep, slen, d)
    return hidden_states.reshape(batch, kvh * n_rep, slen, d)


class LlamaAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg["hidden"]
        self.a = cfg["heads"]
        self.k = cfg["kv_heads"]
        self.d = self.h // self.a
        self.n_rep = self.a // self.k
        self.scaling = self.d ** -0.5
        self.p = cfg["dropout"]
        self.q_proj = nn.Linear(self.h, self.a * self.d, bias=False)
        self.k_proj = nn.Linear(self.h, self.k * self.d, bias=False)
        self.v_proj = nn.Linear(self.h, self.k * self.d, bias=False)
        self.o_proj = nn.Linear(self.a * self.d, self.h, bias=False)

    def forward(self, x, mask, cos, sin, past=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, -1, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, s, -1, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, s, -1, self.d).transpose(1, 2)
        q, k = apply_rotary_pos_emb(q, k, cos, sin)
        if past is not None:
            k = torch.cat((past[0], k), dim=-2)
            v = torch.cat((past[1], v), dim=-2)
        present = (k, v)
        # eager_attention_forward of modeling_llama.py
        ks = repeat_kv(k, self.n_rep)
        vs = repeat_kv(v, self.n_rep)
        w = torch.matmul(q, ks.transpose(2, 3)) * self.scaling
        if mask is not None:
            w = w + mask
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        w = dropout(w, self.p, self.training)
        o = torch.matmul(w, vs)
        o = o.transpose(1, 2).contiguous()
        o = o.reshape(b, s, -1).contiguous()
        return self.o_proj(o), present


class LlamaMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.gate_proj = nn.Linear(cfg["hidden"], cfg["ffn"], bias=False)
        self.up_proj = nn.Linear(cfg["hidden"], cfg["ffn"], bias=False)
        self.down_proj = nn.Linear(cfg["ffn"], cfg["hidden"], bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaBlock(nn.Module):
    def __init__(self, cfg, tracker, idx):
        super().__init__()
        self.tracker = tracker
        self.idx = idx
        self.p = cfg["dropout"]
        self.input_layernorm = LlamaRMSNorm(cfg["hidden"])
        self.self_attn = LlamaAttention(cfg)
        self.post_attention_layernorm = LlamaRMSNorm(cfg["hidden"])
        self.mlp = LlamaMLP(cfg)

    def forward(self, x, mask, cos, sin, past=None):
        self.tracker.segment = "block%d" % self.idx
        a, present = self.self_attn(self.input_layernorm(x), mask, cos, sin, past)
        x = x + dropout(a, self.p, self.training)
        x = x + dropout(self.mlp(self.post_attention_layernorm(x)), self.p, self.training)
        return x, present


class LlamaLM(nn.Module):
    kind = "llama"

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tracker = Tracker()
        self.embed_tokens = nn.Embedding(cfg["vocab"], cfg["hidden"])
        self.layers = nn.ModuleList([LlamaBlock(cfg, self.tracker, i) for i in range(cfg["layers"])])
        self.norm = LlamaRMSNorm(cfg["hidden"])
        self.rotary_emb = LlamaRotaryEmbedding(cfg["hidden"] // cfg["heads"])
        self.lm_head = nn.Linear(cfg["hidden"], cfg["vocab"], bias=False)  # untied
        self.gradient_checkpointing = False

    def forward(self, ids, labels=None, past=None):
        self.tracker.segment = "embed"
        b, s = ids.shape
        start = 0 if past is None else past[0][0].shape[-2]
        pos = torch.arange(start, start + s, dtype=torch.long, device=ids.device).unsqueeze(0)
        x = self.embed_tokens(ids)
        x = dropout(x, self.cfg["dropout"], self.training)
        cos, sin = self.rotary_emb(x, pos)
        mask = causal_mask(s, x.dtype, x.device) if s > 1 else None
        presents = []
        for i, blk in enumerate(self.layers):
            if self.gradient_checkpointing and self.training:
                x, _ = torch.utils.checkpoint.checkpoint(blk, x, mask, cos, sin, use_reentrant=True)
            else:
                x, pr = blk(x, mask, cos, sin, None if past is None else past[i])
                presents.append(pr)
        self.tracker.segment = "head"
        x = self.norm(x)
        logits = self.lm_head(x)
        loss = causal_lm_loss(logits, labels) if labels is not None else None
        return loss, logits, presents


def causal_lm_loss(logits, labels, ignore_index=-100):
    """transformers.loss.loss_utils.ForCausalLMLoss (mean reduction)."""
    logits = logits.float()
    labels = F.pad(labels, (0, 1), value=ignore_index)
    shift_labels = labels[..., 1:].contiguous()
    logits = logits.view(-1, logits.size(-1))
    shift_labels = shift_labels.view(-1)
    return F.cross_entropy(logits, shift_labels, ignore_index=ignore_index, reduction="mean")


def build(kind, cfg):
    torch.manual_seed(cfg.get("seed", 1234))
    if kind == "gpt2":
        return GPT2LM(cfg)
    if kind == "llama":
        return LlamaLM(cfg)
    raise ValueError(kind)
