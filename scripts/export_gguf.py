#!/usr/bin/env python3
"""Export an ERNIE-4.5 Hugging Face-layout folder to a GGUF file for llama.cpp's `ernie4_5` or `ernie4_5-moe` architecture.

Pinned: gguf==0.19.0, numpy==2.3.5, sentencepiece==0.2.1 (the cross-check of piece types only).
Run:    python3 scripts/export_gguf.py Models/tiny-ernie /tmp/tiny-ernie.f32.gguf
        python3 scripts/export_gguf.py --outtype bf16 --synthetic-vocab $TMPDIR/lmlab-random-0.3b-seed0 /tmp/r.bf16.gguf
Reads:  FOLDER/config.json, model.safetensors, tokenizer.model, tokenizer_config.json,
        generation_config.json and added_tokens.json when present.
Writes: the GGUF file named on the command line. --outtype f32 (default): every tensor in float32 (bf16 and f16
        weights are widened, which is exact), so llama.cpp computes with the same numbers as the lab's engine.
        --outtype bf16: 2-D weights in bfloat16 (exact for a bf16 checkpoint), norms in float32 — llama.cpp's
        "BF16" file type, the peer of the lab's bf16 engine in benchmarks. --outtype q8_0: 2-D weights in llama.cpp's
        Q8_0 (blocks of 32 int8 with one f16 scale), norms in float32 — the peer of `--precision int8`.
        --synthetic-vocab: for a weights-only benchmark folder (`lmlab bench … --random-0.3b` writes one) with no
        tokenizer.model, write a valid SentencePiece-style vocabulary (<unk>, <s>, </s>, 256 byte pieces, then
        numbered pieces) so llama.cpp loads the file; benchmarks feed token ids, never text. Prints what it wrote.

Our own exporter, written from the GGUF key names (gguf-py's constants) and llama.cpp's ernie4_5 loader:
  • hyper-parameters: ernie4_5.{context_length, embedding_length, block_count, feed_forward_length,
    attention.head_count, attention.head_count_kv, attention.layer_norm_rms_epsilon, rope.freq_base,
    attention.key_length, attention.value_length, rope.dimension_count}. The last three are written always:
    ERNIE-4.5-0.3B has head_dim 128 ≠ hidden 1024 / 16 heads, and llama.cpp would otherwise assume hidden/heads.
  • RoPE: ERNIE rotates adjacent pairs (2i, 2i+1); llama.cpp runs ernie4_5 with its NORM rope, which is the same
    rotation, so Q and K are NOT permuted (unlike a Llama export).
  • tensors: token_embd, blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_up,
    ffn_down}, output_norm; an untied lm_head goes in `output.weight` (tied: absent, llama.cpp reuses token_embd).
    Paddle-style fused qkv_proj / up_gate_proj are split; an `ernie.` prefix is read as `model.`.
  • mixture of experts (model_type ernie4_5_moe → arch ernie4_5-moe): expert_count, expert_used_count,
    expert_feed_forward_length, expert_shared_count, expert_shared_feed_forward_length (S·Fe: the shared experts
    are one SwiGLU of that width), leading_dense_block_count (moe_layer_start_index), interleave_moe_layer_step;
    per MoE layer ffn_gate_inp (the router), exp_probs_b.bias (the correction bias, [E]), ffn_{gate,up,down}_exps
    (the E experts stacked: [E, Fe, D], [E, D, Fe]) and ffn_{gate,up,down}_shexp. Checked on Models/tiny-ernie-moe:
    llama-cpp-python 0.3.36 on the f32 GGUF continues three prompts greedily with the lab's 24 ids each
    (scripts/llamacpp_greedy_ids.py).
  • tokenizer ("llama" = SentencePiece): every piece with its score and its proto type (normal 1, unknown 2,
    control 3, user-defined 4, unused 5, byte 6 — the GGUF token types use the same numbers), read from
    tokenizer.model by the small protobuf reader below. Embedding rows beyond the tokenizer become unused
    "[PAD<i>]" tokens. add_space_prefix = the model's add_dummy_prefix (ERNIE: false); add_bos_token /
    add_eos_token from tokenizer_config.json (ERNIE: false — send a literal "<s>" for a BOS).
  • special ids: bos, eos, unk, pad by their text; EOT = the other end id of generation_config.json (ERNIE's
    <|end_of_sentence|>), so the server stops where the lab stops. No separator or cls id is written on purpose:
    llama-cpp-python appends the separator to EVERY prompt when the GGUF has one (llama.py, _create_completion).
"""
import argparse
import json
import os
import struct
import sys

import gguf
import numpy as np
import sentencepiece

PINNED = {"gguf": "0.19.0", "numpy": "2.3.5", "sentencepiece": "0.2.1"}


def check_versions():
    found = {"gguf": _version("gguf"), "numpy": np.__version__, "sentencepiece": sentencepiece.__version__}
    for name, want in PINNED.items():
        if found[name] != want:
            print(f"warning: {name} {found[name]} is installed, this script was written for {want}", file=sys.stderr)


def _version(dist):
    from importlib.metadata import version
    return version(dist)


def fail(path, field, fix):
    sys.exit(f"export_gguf: {path}: {field}. HINT: {fix}")


# ---------------------------------------------------------------------------------------------------------------
# safetensors: 8-byte little-endian header length n, a JSON header, then the data; dtypes F32, F16, BF16 widened.
def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = blob[base + start:base + end]
        shape = info["shape"]
        dtype = info["dtype"]
        if dtype == "F32":
            a = np.frombuffer(raw, dtype="<f4")
        elif dtype == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif dtype == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            fail(path, f"tensor {name} has dtype {dtype}", "export a float32, float16 or bfloat16 checkpoint")
        tensors[name] = a.reshape(shape).copy()
    return tensors


# ---------------------------------------------------------------------------------------------------------------
# tokenizer.model: a ModelProto. Field 1 = repeated SentencePiece {1: piece, 2: score (float), 3: type (enum)};
# field 3 = NormalizerSpec {3: add_dummy_prefix}. Only what the export needs is read.
def _varint(b, i):
    shift = value = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def _fields(b):
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(b, i)
        elif wire == 1:
            value, i = b[i:i + 8], i + 8
        elif wire == 2:
            length, i = _varint(b, i)
            value, i = b[i:i + length], i + length
        elif wire == 5:
            value, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def read_sentencepiece(path):
    with open(path, "rb") as f:
        blob = f.read()
    pieces = []
    add_dummy_prefix = True  # the proto's default
    for number, _, value in _fields(blob):
        if number == 1:
            piece, score, kind = "", 0.0, 1
            for n, _, v in _fields(value):
                if n == 1:
                    piece = v.decode("utf-8")
                elif n == 2:
                    (score,) = struct.unpack("<f", v)
                elif n == 3:
                    kind = v
            pieces.append((piece, score, kind))
        elif number == 3:
            for n, _, v in _fields(value):
                if n == 3:
                    add_dummy_prefix = bool(v)
    # Cross-check with the sentencepiece library (it has no user-defined query; those read as normal there).
    sp = sentencepiece.SentencePieceProcessor(model_file=path)
    if sp.get_piece_size() != len(pieces):
        fail(path, f"{len(pieces)} pieces read, sentencepiece says {sp.get_piece_size()}", "report this file")
    for i, (piece, _, kind) in enumerate(pieces):
        lib = 2 if sp.is_unknown(i) else 3 if sp.is_control(i) else 5 if sp.is_unused(i) else 6 if sp.is_byte(i) else None
        if sp.id_to_piece(i) != piece or (lib is not None and lib != kind) or (lib is None and kind not in (1, 4)):
            fail(path, f"piece {i} read as {piece!r} type {kind}, sentencepiece says {sp.id_to_piece(i)!r}",
                 "report this file")
    return pieces, add_dummy_prefix


# ---------------------------------------------------------------------------------------------------------------
def load_json(folder, name, required):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        if required:
            fail(path, "missing", "point the script at an ERNIE Hugging Face-layout folder")
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def tensor_map(config, tensors, path):
    """HF names → GGUF names, splitting fused Paddle tensors."""
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    per_layer = {
        "input_layernorm.weight": "attn_norm.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }
    moe = {"mlp.gate.weight": "ffn_gate_inp.weight", "mlp.moe_statics.e_score_correction_bias": "exp_probs_b.bias",
           "mlp.shared_experts.gate_proj.weight": "ffn_gate_shexp.weight",
           "mlp.shared_experts.up_proj.weight": "ffn_up_shexp.weight",
           "mlp.shared_experts.down_proj.weight": "ffn_down_shexp.weight"}
    experts = {}                                   # (layer, gate|up|down) -> {e: [Fe, D] or [D, Fe]}
    out = {}
    for name, a in tensors.items():
        name = name.replace("ernie.", "model.", 1) if name.startswith("ernie.") else name
        if name == "model.embed_tokens.weight":
            out["token_embd.weight"] = a
        elif name == "model.norm.weight":
            out["output_norm.weight"] = a
        elif name == "lm_head.weight":
            if not config.get("tie_word_embeddings", True):
                out["output.weight"] = a
        elif name.startswith("model.layers."):
            rest = name[len("model.layers."):]
            layer, suffix = rest.split(".", 1)
            if suffix == "self_attn.qkv_proj.weight":
                q, k, v = np.split(a, [heads * head_dim, (heads + kv_heads) * head_dim], axis=0)
                for part, t in (("attn_q", q), ("attn_k", k), ("attn_v", v)):
                    out[f"blk.{layer}.{part}.weight"] = t
            elif suffix == "mlp.up_gate_proj.weight":
                gate, up = np.split(a, 2, axis=0)
                out[f"blk.{layer}.ffn_gate.weight"] = gate
                out[f"blk.{layer}.ffn_up.weight"] = up
            elif suffix in per_layer:
                out[f"blk.{layer}.{per_layer[suffix]}"] = a
            elif config.get("model_type") == "ernie4_5_moe" and suffix in moe:
                out[f"blk.{layer}.{moe[suffix]}"] = a.reshape(-1) if "moe_statics" in suffix else a
            elif config.get("model_type") == "ernie4_5_moe" and suffix.startswith("mlp.experts."):
                e, proj = suffix[len("mlp.experts."):].split(".", 1)
                experts.setdefault((layer, proj.split("_")[0]), {})[int(e)] = a
            else:
                fail(path, f"tensor {name} is not part of a dense ERNIE-4.5 decoder", "export a dense ERNIE-4.5 model")
        else:
            fail(path, f"unknown tensor {name}", "export a dense ERNIE-4.5 model")
    for (layer, proj), by_expert in experts.items():   # llama.cpp stacks a layer's experts: [E, Fe, D], [E, D, Fe]
        if sorted(by_expert) != list(range(config["moe_num_experts"])):
            fail(path, f"layer {layer} has {proj}_proj for experts {sorted(by_expert)}", "the checkpoint is incomplete")
        out[f"blk.{layer}.ffn_{proj}_exps.weight"] = np.stack([by_expert[e] for e in sorted(by_expert)])
    if "token_embd.weight" not in out:
        fail(path, "no model.embed_tokens.weight", "the checkpoint is incomplete")
    if not config.get("tie_word_embeddings", True) and "output.weight" not in out:
        fail(path, "tie_word_embeddings is false but there is no lm_head.weight", "the checkpoint is incomplete")
    return out


def synthetic_pieces(vocab):
    """<unk>, <s>, </s>, the 256 byte pieces, then "▁t<i>" normal pieces: a vocabulary llama.cpp accepts."""
    pieces = [("<unk>", 0.0, 2), ("<s>", 0.0, 3), ("</s>", 0.0, 3)]
    pieces += [(f"<0x{b:02X}>", 0.0, 6) for b in range(256)]
    pieces += [(f"\u2581t{i}", -float(i), 1) for i in range(vocab - len(pieces))]
    return pieces, False


OUTTYPES = {
    "f32": (None, gguf.LlamaFileType.ALL_F32),
    "bf16": (gguf.GGMLQuantizationType.BF16, gguf.LlamaFileType.MOSTLY_BF16),
    "q8_0": (gguf.GGMLQuantizationType.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
}


def export(folder, out_path, name=None, outtype="f32", synthetic_vocab=False):
    config = load_json(folder, "config.json", True)
    tok_config = load_json(folder, "tokenizer_config.json", False) or {}
    gen_config = load_json(folder, "generation_config.json", False) or {}
    added = load_json(folder, "added_tokens.json", False) or {}
    if config.get("model_type") not in ("ernie4_5", "ernie4_5_moe"):
        fail(os.path.join(folder, "config.json"), f"model_type is {config.get('model_type')!r}",
             "this exporter writes ERNIE-4.5 (ernie4_5 and ernie4_5_moe) only")

    st_path = os.path.join(folder, "model.safetensors")
    if not os.path.isfile(st_path):
        fail(st_path, "missing", "a single-file model.safetensors is expected")
    tensors = tensor_map(config, read_safetensors(st_path), st_path)

    vocab = config["vocab_size"]
    sp_path = os.path.join(folder, "tokenizer.model")
    if synthetic_vocab:
        if os.path.isfile(sp_path):
            fail(sp_path, "exists, but --synthetic-vocab was given", "drop --synthetic-vocab to export the real tokenizer")
        pieces, add_dummy_prefix = synthetic_pieces(vocab)
    elif not os.path.isfile(sp_path):
        fail(sp_path, "missing", "the tokenizer.model comes with the weights (weights-only benchmark folder: "
             "add --synthetic-vocab)")
    else:
        pieces, add_dummy_prefix = read_sentencepiece(sp_path)

    rows = tensors["token_embd.weight"].shape[0]
    if rows != vocab:
        fail(st_path, f"embed_tokens has {rows} rows, config.json vocab_size is {vocab}", "fix vocab_size")
    tokens = [f"[PAD{i}]".encode() for i in range(vocab)]
    scores = [-10000.0] * vocab
    types = [5] * vocab
    if len(pieces) > vocab:
        fail(sp_path, f"{len(pieces)} pieces but only {vocab} embedding rows", "use the tokenizer of these weights")
    for i, (piece, score, kind) in enumerate(pieces):
        tokens[i], scores[i], types[i] = piece.encode("utf-8"), score, kind
    for text, i in added.items():                                   # added_tokens.json: user-defined
        if i < vocab:
            tokens[i], scores[i], types[i] = text.encode("utf-8"), -1000.0, 4
    for key, entry in (tok_config.get("added_tokens_decoder") or {}).items():
        i = int(key)
        if i < vocab:
            if types[i] in (1, 5):  # keep the proto's own unknown / control / byte / user-defined type
                tokens[i], scores[i] = entry["content"].encode("utf-8"), -1000.0
                types[i] = 3 if entry.get("special") else 4
            elif tokens[i] != entry["content"].encode("utf-8"):
                fail(os.path.join(folder, "tokenizer_config.json"), f"added token {i} is {entry['content']!r} but "
                     f"tokenizer.model has {tokens[i].decode()!r}", "use the json files of the same model")

    def id_of(slot):
        value = tok_config.get(slot)
        if isinstance(value, dict):
            value = value.get("content")
        if value is None:
            return None
        try:
            return tokens.index(value.encode("utf-8"))
        except ValueError:
            fail(os.path.join(folder, "tokenizer_config.json"), f"{slot} {value!r} is not a token", "fix the slot")

    bos = id_of("bos_token") if "bos_token" in tok_config else config.get("bos_token_id")
    eos = id_of("eos_token") if "eos_token" in tok_config else config.get("eos_token_id")
    unk = id_of("unk_token")
    pad = id_of("pad_token") if "pad_token" in tok_config else config.get("pad_token_id")
    ends = gen_config.get("eos_token_id", [])
    ends = ends if isinstance(ends, list) else [ends]
    eot = next((e for e in ends if e != eos), None)

    heads = config["num_attention_heads"]
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    theta = config.get("rope_theta") or (config.get("rope_parameters") or {}).get("rope_theta", 10000.0)

    is_moe = config["model_type"] == "ernie4_5_moe"
    arch = gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.ERNIE4_5_MOE if is_moe else gguf.MODEL_ARCH.ERNIE4_5]
    writer = gguf.GGUFWriter(out_path, arch)
    writer.add_name(name or os.path.basename(os.path.normpath(folder)))
    qtype, file_type = OUTTYPES[outtype]
    writer.add_file_type(file_type)
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(config["num_key_value_heads"])
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(theta))
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_vocab_size(vocab)
    if is_moe:                                                      # llama.cpp's ernie4_5-moe hyper-parameters
        end = config.get("moe_layer_end_index", -1)
        if end not in (-1, config["num_hidden_layers"] - 1):
            fail(os.path.join(folder, "config.json"), f"moe_layer_end_index {end} is not the last layer",
                 "llama.cpp's ernie4_5-moe has no end index: MoE layers run to the last")
        writer.add_expert_count(config["moe_num_experts"])
        writer.add_expert_used_count(config["moe_k"])
        writer.add_expert_feed_forward_length(config["moe_intermediate_size"])
        writer.add_expert_shared_count(config.get("moe_num_shared_experts", 0))
        writer.add_expert_shared_feed_forward_length(config.get("moe_num_shared_experts", 0) * config["moe_intermediate_size"])
        writer.add_leading_dense_block_count(config.get("moe_layer_start_index", 1))
        writer.add_interleave_moe_layer_step(config.get("moe_layer_interval", 1))

    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    if bos is not None:
        writer.add_bos_token_id(bos)
    if eos is not None:
        writer.add_eos_token_id(eos)
    if unk is not None:
        writer.add_unk_token_id(unk)
    if pad is not None:
        writer.add_pad_token_id(pad)
    if eot is not None:
        writer.add_eot_token_id(eot)
    writer.add_add_bos_token(bool(tok_config.get("add_bos_token", False)))
    writer.add_add_eos_token(bool(tok_config.get("add_eos_token", False)))
    writer.add_add_space_prefix(add_dummy_prefix)
    if tok_config.get("chat_template"):
        writer.add_chat_template(tok_config["chat_template"])

    order = ["token_embd.weight"] + sorted(
        (n for n in tensors if n.startswith("blk.")), key=lambda n: (int(n.split(".")[1]), n)) + [
        n for n in ("output_norm.weight", "output.weight") if n in tensors]
    for n in order:
        a = np.ascontiguousarray(tensors[n], dtype=np.float32)
        if qtype is None or a.ndim < 2:                             # norms stay float32, as llama.cpp's converter does
            writer.add_tensor(n, a)
        else:
            writer.add_tensor(n, gguf.quants.quantize(a, qtype), raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    parameters = sum(int(t.size) for t in tensors.values())
    print(f"wrote {out_path}: {os.path.getsize(out_path):,} bytes, arch {arch}, {len(order)} tensors "
          f"({parameters:,} parameters, 2-D weights as {outtype}), vocab {vocab} ({len(pieces)} tokenizer pieces), "
          f"bos {bos} eos {eos} eot {eot} unk {unk} pad {pad}, add_bos {bool(tok_config.get('add_bos_token', False))}, "
          f"add_space_prefix {add_dummy_prefix}, head_dim {head_dim}, rope θ {theta}, "
          f"output.weight {'present (untied)' if 'output.weight' in tensors else 'absent (tied)'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="ERNIE Hugging Face-layout folder (config.json, model.safetensors, tokenizer.model)")
    parser.add_argument("out", help="the .gguf file to write")
    parser.add_argument("--name", help="general.name (default: the folder's name)")
    parser.add_argument("--outtype", choices=sorted(OUTTYPES), default="f32",
                        help="2-D weight type: f32 (exact, default), bf16 (llama.cpp BF16), q8_0 (llama.cpp Q8_0)")
    parser.add_argument("--synthetic-vocab", action="store_true",
                        help="the folder has weights only (a benchmark checkpoint): write numbered pieces as vocabulary")
    args = parser.parse_args()
    check_versions()
    export(args.folder, args.out, args.name, args.outtype, args.synthetic_vocab)


if __name__ == "__main__":
    main()
