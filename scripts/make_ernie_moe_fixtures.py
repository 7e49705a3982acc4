#!/usr/bin/env python3
"""Builds the ERNIE-4.5 MoE fidelity fixtures: tiny random `ernie4_5_moe` checkpoints in the Hub layout and what
transformers' Ernie4_5_MoeForCausalLM computes on them (Tests/ERNIETests/ErnieMoEFidelityTests.swift).

The Hub layout is baidu/ERNIE-4.5-21B-A3B-PT's: per MoE layer
    model.layers.{i}.mlp.gate.weight [E, D] (float32), mlp.moe_statics.e_score_correction_bias [1, E] (float32),
    mlp.experts.{e}.{gate,up,down}_proj.weight, mlp.shared_experts.{gate,up,down}_proj.weight.
transformers 5.x holds the experts fused (experts.gate_up_proj [E, 2·Fe, D]) and converts the Hub names when it
loads; this script writes the Hub names itself, then checks that from_pretrained loads the folder with no missing,
unexpected or mismatched key and that every loaded parameter equals what was written.

Checkpoints (random, initializer_range 0.3 and randomised RMSNorm gains, as make_ernie_fixtures.py):
  moe-dense-first  f32; layer 0 dense, layers 1–2 MoE (moe_layer_start_index 1, as 21B-A3B); E 8, k 2, one shared
                   expert; a small correction bias; tied embeddings
  moe-bias-bf16    bf16 (router and bias f32, as transformers keeps them); moe_layer_interval 2, so layers 1 and 3
                   are MoE; E 6, k 3, two shared experts; a correction bias large enough to change which experts are
                   picked (the count is printed and stored); untied lm_head
  moe-tokenizer    bf16, behind the ERNIE-like test tokenizer (Tests/TokenizersTests/Fixtures/ernie); every layer MoE,
                   no shared expert, E 16, k 2 and moe_norm_min 0.5, so the clamp of the renormalisation is active

For each: log P of every next token of a fixed 24-token input, and the whole distribution at every position when
V ≤ 256 (float64 transformers: the router itself runs in float32, as transformers always does), the experts each MoE layer chose for each input token, the greedy
continuation (float32 generate, checked against the float64 argmax) and the best hypotheses of a 4-beam search
(float64 generate, checked against float32), with the smallest routing margin (gap between the k-th and (k+1)-th
corrected score) so a fragile fixture shows. moe-tokenizer also scores texts end to end (tokenizer → log P).

Usage (from the repository root; same pinned versions as make_ernie_fixtures.py):
    python3 -m venv /tmp/ernie-venv
    /tmp/ernie-venv/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers==5.24.0 safetensors==0.8.0 \
        tokenizers==0.23.3 sentencepiece==0.2.1 protobuf==7.36.2
    /tmp/ernie-venv/bin/python scripts/make_ernie_moe_fixtures.py
"""

import json
import os
import shutil

import torch
from safetensors.torch import save_file
from transformers import Ernie4_5_MoeConfig, Ernie4_5_MoeForCausalLM

# The pinned versions (checked on import), rounding and log_softmax are the dense fixtures' own.
from make_ernie_fixtures import PINNED, log_probs, rounded

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "ERNIETests", "Fixtures")
TOKENIZER_SOURCE = os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures", "ernie")
TOKENIZER_FILES = ["tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"]
T_INPUT = 24
T_NEW = 16
BEAMS = 4
BEAM_NEW = 8

COMMON = dict(max_position_embeddings=4096, rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2, pad_token_id=0,
              initializer_range=0.3, use_bias=False, hidden_act="silu")
CONFIGS = [
    dict(name="moe-dense-first", seed=11, dtype="float32", bias_std=0.02,
         cfg=dict(vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, head_dim=16, tie_word_embeddings=True,
                  rope_theta=500000.0, moe_num_experts=8, moe_k=2, moe_intermediate_size=16,
                  moe_num_shared_experts=1, moe_layer_start_index=1, moe_layer_end_index=-1,
                  moe_layer_interval=1)),
    dict(name="moe-bias-bf16", seed=12, dtype="bfloat16", bias_std=0.3,
         cfg=dict(vocab_size=256, hidden_size=32, intermediate_size=48, num_hidden_layers=4,
                  num_attention_heads=4, num_key_value_heads=1, head_dim=8, tie_word_embeddings=False,
                  rope_theta=10000.0, moe_num_experts=6, moe_k=3, moe_intermediate_size=16,
                  moe_num_shared_experts=2, moe_layer_start_index=0, moe_layer_end_index=3,
                  moe_layer_interval=2)),
    dict(name="moe-tokenizer", seed=13, dtype="bfloat16", bias_std=0.05, tokenizer=True,
         cfg=dict(vocab_size=3072, hidden_size=16, intermediate_size=32, num_hidden_layers=2,
                  num_attention_heads=2, num_key_value_heads=1, head_dim=8, tie_word_embeddings=True,
                  rope_theta=500000.0, moe_num_experts=16, moe_k=2, moe_intermediate_size=8,
                  moe_num_shared_experts=0, moe_layer_start_index=0, moe_layer_end_index=-1,
                  moe_layer_interval=1, moe_norm_min=0.5)),
]
SCORED_TEXTS = [dict(text="hello, world", chat=False), dict(text="The cat sat on the mat.", chat=False)]


def make_config(cfg):
    cfg = dict(cfg)
    theta = cfg.pop("rope_theta")
    return Ernie4_5_MoeConfig(**cfg, **COMMON, rope_parameters={"rope_type": "default", "rope_theta": theta})


def hub_state_dict(model, dtype, tied):
    """The model's parameters under the Hub's names (one tensor per expert matrix), router and bias in float32."""
    out = {}
    for name, t in model.state_dict().items():
        t = t.detach()
        if name == "lm_head.weight" and tied:
            continue
        if name.endswith("mlp.experts.gate_up_proj"):            # [E, 2·Fe, D] = [gate; up] per expert
            prefix = name[: -len("gate_up_proj")]
            fe = t.shape[1] // 2
            for e in range(t.shape[0]):
                out[f"{prefix}{e}.gate_proj.weight"] = t[e, :fe].to(dtype).contiguous()
                out[f"{prefix}{e}.up_proj.weight"] = t[e, fe:].to(dtype).contiguous()
        elif name.endswith("mlp.experts.down_proj"):             # [E, D, Fe]
            prefix = name[: -len("down_proj")]
            for e in range(t.shape[0]):
                out[f"{prefix}{e}.down_proj.weight"] = t[e].to(dtype).contiguous()
        elif name.endswith("mlp.gate.moe_statics.e_score_correction_bias"):
            out[name.replace("mlp.gate.moe_statics.", "mlp.moe_statics.")] = t.float().contiguous()
        elif name.endswith("mlp.gate.weight"):
            out[name] = t.float().contiguous()
        else:
            out[name] = t.to(dtype).contiguous()
    return out


def load(folder, dtype):
    # eager experts: the loop over experts of the modeling file (grouped_mm has no float64 kernel)
    model, info = Ernie4_5_MoeForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="eager",
                                                          experts_implementation="eager", output_loading_info=True)
    problems = {k: v for k, v in info.items() if v}
    assert not problems, f"{folder}: transformers did not load the Hub layout cleanly: {problems}"
    return model.eval()


def routing(model, ids):
    """Per MoE layer: the chosen experts of every position [T][k] (transformers' order), the smallest gap between the
    k-th and (k+1)-th corrected score, and how many positions the bias moved to other experts."""
    records = []
    hooks = []
    for i, layer in enumerate(model.model.layers):
        gate = getattr(layer.mlp, "gate", None)
        if gate is None or not hasattr(gate, "moe_statics"):
            continue

        def hook(module, inputs, output, i=i):
            logits, _, selected = output
            p = torch.softmax(logits.float(), dim=-1)
            scored = p + module.moe_statics.e_score_correction_bias.squeeze().float()
            top = torch.topk(scored, module.top_k + 1 if module.top_k < scored.shape[-1] else module.top_k, dim=-1)
            margin = float((top.values[:, module.top_k - 1] - top.values[:, module.top_k]).min()) \
                if module.top_k < scored.shape[-1] else float("inf")
            unbiased = torch.topk(p, module.top_k, dim=-1).indices
            moved = sum(set(a) != set(b) for a, b in zip(unbiased.tolist(), selected.tolist()))
            records.append(dict(layer=i, chosen=selected.tolist(), margin=margin, moved=moved))
        hooks.append(gate.register_forward_hook(hook))
    with torch.no_grad():
        model(torch.tensor([ids]))
    for h in hooks:
        h.remove()
    return records


def generate(model, ids, **kw):
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                             do_sample=False, eos_token_id=None, pad_token_id=0, min_new_tokens=0, **kw)
    return out


def build(spec):
    torch.manual_seed(spec["seed"])
    config = make_config(spec["cfg"])
    model = Ernie4_5_MoeForCausalLM(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.25 * torch.randn_like(p))            # transformers initialises gains to 1
            if name.endswith("e_score_correction_bias"):
                p.copy_(spec["bias_std"] * torch.randn_like(p))      # transformers initialises the bias to 0
    folder = os.path.join(OUT, spec["name"])
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    dtype = getattr(torch, spec["dtype"])
    config.dtype = dtype
    config.save_pretrained(folder)
    tensors = hub_state_dict(model, dtype, config.tie_word_embeddings)
    save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})

    # transformers must read the Hub layout unchanged, and read back exactly what was written.
    ref64 = load(folder, torch.float64)
    ref32 = load(folder, torch.float32)
    written = hub_state_dict(ref64, torch.float64, config.tie_word_embeddings)
    assert written.keys() == tensors.keys()
    for k, t in tensors.items():
        assert torch.equal(written[k], t.double()), f"{k} did not load as written"

    g = torch.Generator().manual_seed(100 + spec["seed"])
    ids = torch.randint(3, config.vocab_size, (T_INPUT,), generator=g).tolist()
    lp = log_probs(ref64, ids)
    f32_error = float((log_probs(ref32, ids).double() - lp).abs().max())

    greedy = generate(ref32, ids, max_new_tokens=T_NEW)[0, len(ids):].tolist()
    full = log_probs(ref64, ids + greedy)
    assert full[len(ids) - 1:-1].argmax(-1).tolist() == greedy, "greedy: generate() disagrees with the f64 argmax"
    top2 = torch.topk(full[len(ids) - 1:-1], 2, dim=-1).values
    greedy_margin = float((top2[:, 0] - top2[:, 1]).min())

    beam64 = generate(ref64, ids, max_new_tokens=BEAM_NEW, num_beams=BEAMS, num_return_sequences=BEAMS,
                      length_penalty=1.0, early_stopping=False, output_scores=True, return_dict_in_generate=True)
    beam32 = generate(ref32, ids, max_new_tokens=BEAM_NEW, num_beams=BEAMS, num_return_sequences=BEAMS,
                      length_penalty=1.0, early_stopping=False)
    beams = beam64.sequences[:, len(ids):].tolist()
    assert beam32[:, len(ids):].tolist() == beams, "beam search: float32 and float64 disagree (fragile fixture)"

    routes = routing(ref64, ids + greedy)
    fixture = {
        "name": spec["name"],
        "versions": PINNED,
        "dtype": spec["dtype"],
        "input_ids": ids,
        # log P(input_ids[t+1] | input_ids[0…t]) for t = 0…T−2, float64 reference
        "next_logprobs": [float(f"{lp[t, ids[t + 1]].item():.9g}") for t in range(len(ids) - 1)],
        "torch_f32_vs_f64_max_abs_diff": f32_error,
        "greedy": greedy,
        "greedy_min_margin": greedy_margin,
        "beams": beams,                                      # BEAMS hypotheses of BEAM_NEW tokens, best first
        "beam_scores": [float(f"{s:.9g}") for s in beam64.sequences_scores.tolist()],
        "routing": [dict(layer=r["layer"], chosen=r["chosen"][:T_INPUT]) for r in routes],
        "routing_min_margin": min(r["margin"] for r in routes),
        "bias_moved_choices": sum(r["moved"] for r in routes),
    }
    if config.vocab_size <= 256:                             # [T][V], row t predicts input_ids[t+1] (small V only)
        fixture["logprobs"] = rounded(lp.tolist())
    if spec.get("tokenizer"):
        fixture["scored"] = score_texts(folder, ref64)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))

    print(f"{spec['name']}: wrote {folder}")
    for n in sorted(os.listdir(folder)):
        print(f"    {n:24s} {os.path.getsize(os.path.join(folder, n)):9d} bytes")
    entropy = -(lp.exp() * lp).sum(-1).mean().item()
    print(f"    MoE layers {[r['layer'] for r in routes]}, routing min margin {fixture['routing_min_margin']:.2e}, "
          f"choices moved by the bias {fixture['bias_moved_choices']} of {len(routes) * len(ids + greedy)}")
    print(f"    mean entropy {entropy:.3f} nats, greedy min margin {greedy_margin:.4f}, greedy {greedy[:8]}…, "
          f"beams {[b[:4] for b in beams]}")
    print(f"    transformers f32 vs f64 max |Δ log p| = {f32_error:.2e}")
    if spec["name"] == "moe-bias-bf16":
        assert fixture["bias_moved_choices"] > 0, "the correction bias changed no choice: raise bias_std"


def score_texts(folder, ref64):
    """Copies the test tokenizer in and scores texts as make_ernie_fixtures.py's with-tokenizer does."""
    from transformers import LlamaTokenizerFast
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(TOKENIZER_SOURCE, name), os.path.join(folder, name))
    tok = LlamaTokenizerFast.from_pretrained(folder, legacy=True, add_bos_token=False, add_eos_token=False,
                                             from_slow=True)
    scored = []
    for item in SCORED_TEXTS:
        ids = [tok.bos_token_id] + tok.encode(item["text"], add_special_tokens=False)
        lp = log_probs(ref64, ids)
        per_token = [None] + [float(f"{lp[i - 1, ids[i]].item():.9g}") for i in range(1, len(ids))]
        scored.append({**item, "ids": ids, "logprobs": per_token})
    return scored


if __name__ == "__main__":
    print("versions:", PINNED)
    for spec in CONFIGS:
        build(spec)
