#!/usr/bin/env python3
"""Independent references for the shipped tiny ERNIE models: transformers' Ernie4_5ForCausalLM logits (and
Ernie4_5_MoeForCausalLM's for tiny-ernie-moe: AutoModelForCausalLM picks the class from config.json) and the
sentencepiece library's token ids, written as small JSON fixtures that Tests/ErnieTrainingTests compare with.

Pinned: transformers==5.24.0, torch==2.13.0+cpu, sentencepiece==0.2.1 (and protobuf==6.33.1, without which
transformers cannot read tokenizer.model as SentencePiece and fails asking for tiktoken).
Run:    python3 scripts/check_tiny_ernie.py [NAME ...]     (default: every shipped tiny ERNIE)
Writes: Tests/ErnieTrainingTests/Fixtures/tiny-ernie-reference.json
        Tests/ErnieTrainingTests/Fixtures/tiny-ernie-instruct-reference.json
        Tests/ErnieTrainingTests/Fixtures/tiny-ernie-moe-reference.json
For each model folder: Ernie4_5ForCausalLM.from_pretrained(folder, dtype=float32), eager attention, on the
sentencepiece ids of a few texts (with <s> first; a chat text through the chat template). Stored per text: the ids,
the full logit row at the last position, and at every position the logit of the next token and the
row's log-sum-exp. Stored once: sentencepiece's ids for a set of texts (English, Chinese, digits, runs of spaces,
characters outside the vocabulary that fall back to bytes).
"""
import json
import os
import sys

import sentencepiece as spm
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

PINNED = {"transformers": "5.24.0", "torch": "2.13.0+cpu", "sentencepiece": "0.2.1"}
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "Tests", "ErnieTrainingTests", "Fixtures")

TEXTS = [
    "One day, Luna went to the park with her father.\nIt was sunny, and Luna was happy.",
    "有一天，露娜和她的爸爸去了公园。",
    "Paris is the capital of France.",
]
CHAT = "What is the capital of Japan?"
ENCODE = [
    "The dog says woof.", "Beijing is the capital of China.", "狗汪汪地叫。", "北京是中国的首都。",
    "She ate 12 apples and 305 cherries.", "a  b   c", "  leading and trailing  ", "Zebra 🦓 café ﬃ",
    "Line one\nLine two", "User: Hello!\nAssistant: ", "", "巴勃罗说他想去英国看看伦敦。", "Mixed 中文 and English 123",
]


def check_versions():
    found = {"transformers": transformers.__version__, "torch": torch.__version__, "sentencepiece": spm.__version__}
    assert found == PINNED, f"pinned {PINNED}, found {found}"


def reference(folder):
    sp = spm.SentencePieceProcessor(model_file=os.path.join(folder, "tokenizer.model"))
    # eager experts for the MoE: the modeling file's loop (grouped_mm needs 16-byte strides; an expert is 170 wide)
    moe = {"experts_implementation": "eager"} if "moe" in os.path.basename(folder) else {}
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager", **moe).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    chat_text = tok.apply_chat_template([{"role": "user", "content": CHAT}], tokenize=False, add_generation_prompt=True)
    chat_ids = tok(chat_text, add_special_tokens=False)["input_ids"]
    cases = [{"text": t, "chat": False, "ids": [sp.bos_id()] + sp.encode(t)} for t in TEXTS]
    cases.append({"text": CHAT, "chat": True, "rendered": chat_text, "ids": chat_ids})
    for c in cases:
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([c["ids"]])).logits[0].double()
        n = len(c["ids"])
        rows = [n - 1]
        c["rows"] = {str(r): logits[r].tolist() for r in rows}
        c["next_logit"] = [logits[i, c["ids"][i + 1]].item() for i in range(n - 1)]
        c["logsumexp"] = torch.logsumexp(logits, dim=-1).tolist()
    return {
        "versions": PINNED,
        "folder": os.path.relpath(folder, ROOT),
        "vocab_size": model.config.vocab_size,
        "cases": cases,
        "encode": [{"text": t, "ids": sp.encode(t), "pieces": sp.encode(t, out_type=str)} for t in ENCODE],
    }


def main():
    check_versions()
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or ("tiny-ernie", "tiny-ernie-instruct", "tiny-ernie-moe"):
        folder = os.path.join(ROOT, "Models", name)
        if not os.path.exists(os.path.join(folder, "model.safetensors")):
            print(f"skipped {name}: no model.safetensors yet")
            continue
        path = os.path.join(OUT, f"{name}-reference.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(reference(folder), f, ensure_ascii=False)
        print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
