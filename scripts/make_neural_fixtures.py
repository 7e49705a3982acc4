#!/usr/bin/env python3
"""PyTorch references for Tests/NeuralLMsTests: a GRU cell, an Elman RNN cell and Bahdanau (additive) attention,
forward values and the gradients of a fixed scalar loss with respect to every input and parameter.

Pinned: torch==2.13.0+cpu (pip install torch==2.13.0+cpu --find-links /opt/wheels), Python 3.11.
Run from the project root:  python3 scripts/make_neural_fixtures.py
Writes Tests/NeuralLMsTests/Fixtures/recurrent_cells.json and bahdanau_attention.json (float64 printed from float32).
"""
import json
import pathlib

import torch

assert torch.__version__ == "2.13.0+cpu", f"pinned torch 2.13.0+cpu, found {torch.__version__}"
torch.manual_seed(7)
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "NeuralLMsTests" / "Fixtures"


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def cells():
    B, I, H = 3, 5, 4
    out = {}
    for name, cell in [("gru", torch.nn.GRUCell(I, H)), ("rnn", torch.nn.RNNCell(I, H, nonlinearity="tanh"))]:
        x = torch.randn(B, I, requires_grad=True)
        h = torch.randn(B, H, requires_grad=True)
        r = torch.randn(B, H)                      # loss = Σ h′ ⊙ r: a gradient that differs per element
        h2 = cell(x, h)
        (h2 * r).sum().backward()
        out[name] = {
            "x": flat(x), "h": flat(h), "r": flat(r),
            "weight_ih": flat(cell.weight_ih), "weight_hh": flat(cell.weight_hh),
            "bias_ih": flat(cell.bias_ih), "bias_hh": flat(cell.bias_hh),
            "h_next": flat(h2),
            "grad_x": flat(x.grad), "grad_h": flat(h.grad),
            "grad_weight_ih": flat(cell.weight_ih.grad), "grad_weight_hh": flat(cell.weight_hh.grad),
            "grad_bias_ih": flat(cell.bias_ih.grad), "grad_bias_hh": flat(cell.bias_hh.grad),
        }
    return out


class Bahdanau(torch.nn.Module):
    """e = vᵀ tanh(W s + b + U h_j); α = softmax(e + mask); c = Σ α_j h_j — as Sources/NeuralLMs/BahdanauAttention.swift."""

    def __init__(self, hq, hk, a):
        super().__init__()
        self.query = torch.nn.Linear(hq, a)
        self.key = torch.nn.Linear(hk, a, bias=False)
        self.energy = torch.nn.Linear(a, 1, bias=False)

    def forward(self, s, h, mask):
        e = self.energy(torch.tanh(self.key(h) + self.query(s).unsqueeze(1))).squeeze(-1)   # [B, S]
        alpha = torch.softmax(e + mask, dim=-1)
        return torch.bmm(alpha.unsqueeze(1), h).squeeze(1), alpha


def attention():
    B, S, HQ, HK, A = 2, 5, 4, 6, 3
    m = Bahdanau(HQ, HK, A)
    s = torch.randn(B, HQ, requires_grad=True)
    h = torch.randn(B, S, HK, requires_grad=True)
    mask = torch.zeros(B, S)
    mask[1, 3:] = float("-inf")                  # the second sentence has 3 words and 2 padding positions
    rc, ra = torch.randn(B, HK), torch.randn(B, S)
    c, alpha = m(s, h, mask)
    ((c * rc).sum() + (alpha * ra).sum()).backward()
    return {
        "query": flat(s), "annotations": flat(h),
        "mask": {"shape": [B, S], "data": [(-1e30 if v == float("-inf") else 0.0) for v in mask.reshape(-1).tolist()]},
        "r_context": flat(rc), "r_weights": flat(ra),
        "query.weight": flat(m.query.weight), "query.bias": flat(m.query.bias),
        "key.weight": flat(m.key.weight), "energy.weight": flat(m.energy.weight),
        "context": flat(c), "weights": flat(alpha),
        "grad_query": flat(s.grad), "grad_annotations": flat(h.grad),
        "grad_query.weight": flat(m.query.weight.grad), "grad_query.bias": flat(m.query.bias.grad),
        "grad_key.weight": flat(m.key.weight.grad), "grad_energy.weight": flat(m.energy.weight.grad),
    }


OUT.mkdir(parents=True, exist_ok=True)
for name, payload in [("recurrent_cells.json", cells()), ("bahdanau_attention.json", attention())]:
    path = OUT / name
    path.write_text(json.dumps(payload, indent=0))
    print(f"wrote {path} ({path.stat().st_size} bytes)")
