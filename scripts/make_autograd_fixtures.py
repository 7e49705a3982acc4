#!/usr/bin/env python3
"""PyTorch reference fixtures for the Autograd target (Tests/AutogradTests/Fixtures/*.json).

Pinned: torch==2.13.0+cpu (pip install torch==2.13.0+cpu --find-links /opt/wheels), Python 3.11.

Every input is drawn in float32 with a fixed seed and stored exactly; the reference forward, backward and
optimizer steps then run in float64, so the fixtures hold the exact answer for the float32 inputs and the Swift tests
measure their own float32 rounding against it.

Fixtures (each JSON: {"meta": …, "tensors": {name: {"shape": […], "data": […]}}, "ints": {name: […]}}):
  mlp.json        Linear(5,8)–tanh–Linear(8,8)–ReLU–Linear(8,3)–cross-entropy on a batch of 4: logits, loss, all
                  parameter gradients; then 3 AdamW steps (with clip_grad_norm_) and 3 SGD-momentum steps.
  gru.json        torch.nn.GRUCell(4, 6) unrolled over 3 steps on a batch of 3: h after the first step and the last,
                  loss = Σ h₃ ⊙ c, gradients of the inputs, h₀ and all four parameters.
  attention.json  x + Wo·attn(RoPE(q), RoPE(k), v) with RMSNorm in front, 2 heads, interleaved RoPE at positions
                  2…6, F.scaled_dot_product_attention(is_causal=True), then a vocabulary projection and
                  cross-entropy with one ignored target (-100): output, loss, gradients of x and all weights.
  decoder.json    a 2-layer decoder in ERNIE 4.5's design at toy size (tied embedding, RMSNorm, GQA with 4 query and
                  2 KV heads of dim 4 over hidden 8, interleaved RoPE θ = 500000, SwiGLU MLP, final norm), next-token
                  cross-entropy with the last target ignored: logits, loss and the gradient of every weight.

Run from the repository root: python3 scripts/make_autograd_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

TORCH_VERSION = "2.13.0+cpu"
assert torch.__version__ == TORCH_VERSION, f"pinned torch {TORCH_VERSION}, found {torch.__version__}"

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "AutogradTests", "Fixtures")


def draw(gen, *shape, scale=1.0, offset=0.0):
    """float32 N(offset, scale²) draw, returned as an exact float64 leaf that requires grad."""
    t = (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale + offset).to(torch.float64)
    return t.requires_grad_(True)


def enc(t):
    t = t.detach().to(torch.float64)
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, meta, tensors, ints):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"meta": meta, "tensors": {k: enc(v) for k, v in tensors.items()}, "ints": ints}, f)
    print(f"wrote {os.path.normpath(path)}: {len(tensors)} tensors, {os.path.getsize(path)} bytes")


def mlp():
    gen = torch.Generator().manual_seed(1)
    x = draw(gen, 4, 5).detach()
    targets = [0, 2, 1, 2]
    init = {
        "w1": draw(gen, 8, 5, scale=0.5), "b1": draw(gen, 8, scale=0.1),
        "w2": draw(gen, 8, 8, scale=0.4), "b2": draw(gen, 8, scale=0.1),
        "w3": draw(gen, 3, 8, scale=0.4), "b3": draw(gen, 3, scale=0.1),
    }
    names = list(init)

    def forward(p):
        h1 = torch.tanh(x @ p["w1"].T + p["b1"])
        h2 = torch.relu(h1 @ p["w2"].T + p["b2"])
        logits = h2 @ p["w3"].T + p["b3"]
        return logits, F.cross_entropy(logits, torch.tensor(targets))

    tensors = {"x": x}
    tensors.update({f"init.{k}": v for k, v in init.items()})
    logits, loss = forward(init)
    loss.backward()
    tensors["logits"], tensors["loss"] = logits, loss
    tensors.update({f"grad.{k}": init[k].grad for k in names})

    # AdamW: each step zero_grad, forward, backward, clip to global norm 1.0, step.
    params = {k: v.detach().clone().requires_grad_(True) for k, v in init.items()}
    adamw = torch.optim.AdamW([params[k] for k in names], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    for step in range(1, 4):
        adamw.zero_grad()
        _, loss = forward(params)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_([params[k] for k in names], max_norm=1.0)
        adamw.step()
        tensors[f"adamw.loss{step}"] = loss
        tensors[f"adamw.norm{step}"] = norm
        if step in (1, 3):
            tensors.update({f"adamw.step{step}.{k}": params[k].detach().clone() for k in names})  # snapshot: params change in place

    # SGD with momentum and weight decay, no clipping.
    params = {k: v.detach().clone().requires_grad_(True) for k, v in init.items()}
    sgd = torch.optim.SGD([params[k] for k in names], lr=0.1, momentum=0.9, weight_decay=0.01)
    for step in range(1, 4):
        sgd.zero_grad()
        _, loss = forward(params)
        loss.backward()
        sgd.step()
    tensors.update({f"sgd.step3.{k}": params[k].detach().clone() for k in names})

    meta = {"torch": torch.__version__, "seed": 1, "dtype": "float64 reference on float32 inputs",
            "adamw": {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1, "max_norm": 1.0},
            "sgd": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}}
    write("mlp.json", meta, tensors, {"targets": targets})


def gru():
    gen = torch.Generator().manual_seed(2)
    cell = torch.nn.GRUCell(4, 6).to(torch.float64)
    with torch.no_grad():
        for p in cell.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float32).to(torch.float64) * 0.4)
    xs = draw(gen, 3, 3, 4)          # [steps, B, I]
    h0 = draw(gen, 3, 6, scale=0.5)  # [B, Hd]
    c = draw(gen, 3, 6).detach()     # loss weights
    h = h0
    hs = []
    for t in range(3):
        h = cell(xs[t], h)
        hs.append(h)
    loss = (hs[-1] * c).sum()
    loss.backward()
    tensors = {
        "xs": xs, "h0": h0, "c": c,
        "weight_ih": cell.weight_ih, "weight_hh": cell.weight_hh, "bias_ih": cell.bias_ih, "bias_hh": cell.bias_hh,
        "h1": hs[0], "h3": hs[-1], "loss": loss,
        "grad.xs": xs.grad, "grad.h0": h0.grad,
        "grad.weight_ih": cell.weight_ih.grad, "grad.weight_hh": cell.weight_hh.grad,
        "grad.bias_ih": cell.bias_ih.grad, "grad.bias_hh": cell.bias_hh.grad,
    }
    meta = {"torch": torch.__version__, "seed": 2, "reference": "torch.nn.GRUCell, gates ordered (r, z, n)"}
    write("gru.json", meta, tensors, {})


def rope_interleaved(x, positions, theta):
    """HF-style interleaved rotary embedding: pairs (2i, 2i+1), cos/sin repeated per pair, rotate (−x₁, x₀)."""
    dh = x.shape[-1]
    inv = theta ** (-torch.arange(0, dh, 2, dtype=torch.float64) / dh)
    ang = torch.tensor(positions, dtype=torch.float64)[:, None] * inv[None, :]   # [T, Dh/2]
    cos = ang.cos().repeat_interleave(2, dim=-1)
    sin = ang.sin().repeat_interleave(2, dim=-1)
    rotated = torch.stack((-x[..., 1::2], x[..., 0::2]), dim=-1).flatten(-2)
    return x * cos + rotated * sin


def attention():
    gen = torch.Generator().manual_seed(3)
    T, D, H, V = 5, 8, 2, 7
    dh = D // H
    positions = [2, 3, 4, 5, 6]
    theta = 10000.0
    targets = [3, 0, -100, 6, 1]
    x = draw(gen, T, D)
    g = draw(gen, D, scale=0.2, offset=1.0)
    wq, wk, wv, wo = (draw(gen, D, D, scale=0.4) for _ in range(4))
    wout = draw(gen, V, D, scale=0.4)

    h = F.rms_norm(x, (D,), weight=g, eps=1e-5)
    q = (h @ wq.T).view(T, H, dh).transpose(0, 1)     # [H, T, Dh]
    k = (h @ wk.T).view(T, H, dh).transpose(0, 1)
    v = (h @ wv.T).view(T, H, dh).transpose(0, 1)
    q, k = rope_interleaved(q, positions, theta), rope_interleaved(k, positions, theta)
    a = F.scaled_dot_product_attention(q, k, v, is_causal=True)   # [H, T, Dh], scale 1/√Dh
    y = x + a.transpose(0, 1).reshape(T, D) @ wo.T
    logits = y @ wout.T
    loss = F.cross_entropy(logits, torch.tensor(targets), ignore_index=-100)
    loss.backward()
    tensors = {"x": x, "g": g, "wq": wq, "wk": wk, "wv": wv, "wo": wo, "wout": wout,
               "y": y, "loss": loss}
    tensors.update({f"grad.{n}": t.grad for n, t in
                    [("x", x), ("g", g), ("wq", wq), ("wk", wk), ("wv", wv), ("wo", wo), ("wout", wout)]})
    meta = {"torch": torch.__version__, "seed": 3, "heads": H, "theta": theta, "eps": 1e-5,
            "reference": "F.rms_norm, HF-style interleaved RoPE, F.scaled_dot_product_attention(is_causal=True), F.cross_entropy"}
    write("attention.json", meta, tensors, {"targets": targets, "positions": positions, "ignore_index": [-100]})


def decoder():
    gen = torch.Generator().manual_seed(4)
    V, D, H, HKV, DH, FF, T, L = 11, 8, 4, 2, 4, 12, 6, 2
    theta, eps = 500000.0, 1e-5
    ids = torch.randint(0, V, (T + 1,), generator=gen).tolist()
    inputs, targets = ids[:T], ids[1:T] + [-100]
    w = {"model.embed_tokens.weight": draw(gen, V, D, scale=0.5)}
    for i in range(L):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = draw(gen, D, scale=0.1, offset=1.0)
        w[p + "self_attn.q_proj.weight"] = draw(gen, H * DH, D, scale=0.35)
        w[p + "self_attn.k_proj.weight"] = draw(gen, HKV * DH, D, scale=0.35)
        w[p + "self_attn.v_proj.weight"] = draw(gen, HKV * DH, D, scale=0.35)
        w[p + "self_attn.o_proj.weight"] = draw(gen, D, H * DH, scale=0.35)
        w[p + "post_attention_layernorm.weight"] = draw(gen, D, scale=0.1, offset=1.0)
        w[p + "mlp.gate_proj.weight"] = draw(gen, FF, D, scale=0.35)
        w[p + "mlp.up_proj.weight"] = draw(gen, FF, D, scale=0.35)
        w[p + "mlp.down_proj.weight"] = draw(gen, D, FF, scale=0.3)
    w["model.norm.weight"] = draw(gen, D, scale=0.1, offset=1.0)

    positions = list(range(T))
    h = F.embedding(torch.tensor(inputs), w["model.embed_tokens.weight"])        # [T, D]
    for i in range(L):
        p = f"model.layers.{i}."
        x = F.rms_norm(h, (D,), weight=w[p + "input_layernorm.weight"], eps=eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).view(T, H, DH).transpose(0, 1)      # [H, T, Dh]
        k = (x @ w[p + "self_attn.k_proj.weight"].T).view(T, HKV, DH).transpose(0, 1)    # [Hkv, T, Dh]
        v = (x @ w[p + "self_attn.v_proj.weight"].T).view(T, HKV, DH).transpose(0, 1)
        q, k = rope_interleaved(q, positions, theta), rope_interleaved(k, positions, theta)
        k, v = k.repeat_interleave(H // HKV, dim=0), v.repeat_interleave(H // HKV, dim=0)  # kv head = q head // groups
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        h = h + a.transpose(0, 1).reshape(T, H * DH) @ w[p + "self_attn.o_proj.weight"].T
        x = F.rms_norm(h, (D,), weight=w[p + "post_attention_layernorm.weight"], eps=eps)
        h = h + (F.silu(x @ w[p + "mlp.gate_proj.weight"].T) * (x @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    h = F.rms_norm(h, (D,), weight=w["model.norm.weight"], eps=eps)
    logits = h @ w["model.embed_tokens.weight"].T                                   # tied lm_head
    loss = F.cross_entropy(logits, torch.tensor(targets), ignore_index=-100)
    loss.backward()
    tensors = dict(w)
    tensors.update({"logits": logits, "loss": loss})
    tensors.update({f"grad.{k}": t.grad for k, t in w.items()})
    meta = {"torch": torch.__version__, "seed": 4, "vocab": V, "hidden": D, "heads": H, "kv_heads": HKV, "head_dim": DH,
            "intermediate": FF, "layers": L, "rope_theta": theta, "rms_norm_eps": eps, "tie_word_embeddings": True}
    write("decoder.json", meta, tensors, {"input_ids": inputs, "targets": targets})


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    mlp()
    gru()
    attention()
    decoder()
