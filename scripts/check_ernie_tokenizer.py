#!/usr/bin/env python3
"""An ERNIE-4.5-like tokenizer folder for tests, and transformers' behaviour on it.

ERNIE-4.5's real tokenizer.model cannot be obtained here (shared/ERNIE45.md §9), so the tests use a folder laid out
like ERNIE's: Tests/TokenizersTests/Fixtures/ernie/
  tokenizer.model          = Fixtures/spm/bpe_ernie.model (trained by the sentencepiece library with ERNIE's settings
                             by scripts/make_spm_fixtures.py: BPE, byte fallback, no dummy prefix, whitespace kept,
                             digits and <|…|>/<mask:N> user-defined)
  added_tokens.json        ERNIE's multimodal tokens: the ones the small model already has keep its ids, the rest
                             follow the vocabulary (as ERNIE's 100295… follow its 100295 pieces)
  tokenizer_config.json    ERNIE's keys (transformers-native era): add_bos_token false, legacy true, special tokens,
                             added_tokens_decoder, the chat template of ERNIE45.md §7
  special_tokens_map.json  ERNIE's slots, including sys/header names

Steps (from the repository root):
  python3 scripts/check_ernie_tokenizer.py folder   # writes the three json files, copies tokenizer.model
  python3 scripts/check_ernie_tokenizer.py ids      # transformers' LlamaTokenizerFast on the folder →
                                                    #   Fixtures/ernie/transformers.json (encode, chat, decode)
Pinned: pip install transformers==5.24.0 tokenizers==0.23.3 sentencepiece==0.2.1 protobuf==7.36.2
"""
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "TokenizersTests", "Fixtures")
OUT = os.path.join(FIX, "ernie")
TRANSFORMERS_VERSION = "5.24.0"
TOKENIZERS_VERSION = "0.23.3"
SENTENCEPIECE_VERSION = "0.2.1"

CHAT_TEMPLATE = (
    "{%- if not add_generation_prompt is defined -%}{%- set add_generation_prompt = true -%}{%- endif -%}\n"
    "{%- if not cls_token is defined -%}{%- set cls_token = \"<|begin_of_sentence|>\" -%}{%- endif -%}\n"
    "{%- if not sep_token is defined -%}{%- set sep_token = \"<|end_of_sentence|>\" -%}{%- endif -%}\n"
    "{{- cls_token -}}\n"
    "{%- for message in messages -%}\n"
    "    {%- if message[\"role\"] == \"user\" -%}\n"
    "        {{- \"User: \" + message[\"content\"] + \"\\n\" -}}\n"
    "    {%- elif message[\"role\"] == \"assistant\" -%}\n"
    "        {{- \"Assistant: \" + message[\"content\"] + sep_token -}}\n"
    "    {%- elif message[\"role\"] == \"system\" -%}\n"
    "        {{- message[\"content\"] + \"\\n\" -}}\n"
    "    {%- endif -%}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}\n"
    "    {{- \"Assistant: \" -}}\n"
    "{%- endif -%}"
)

# Texts for the encode comparison: added tokens in every position, ERNIE45.md §6 cases, whitespace, bytes.
TEXTS = [
    "Hello, world!", "hello, world", "<s> Hello", "<s>Hello</s>", " <s> ", "<|begin_of_sentence|>User: 你好\n",
    "a<|LOC_10|>b<|LOC_1|>c<|LOC_0|>", "<|LOC_1|>0", "<|LOC_BEGIN|><|LOC_1|><|LOC_END|>", "<|LOC_BEGIN|",
    "<<s>>", "<mask:1><mask:4>text<mask:5>", "x <|IMAGE_PLACEHOLDER|> y", "<|AUDIO_PLACEHOLDER|>",
    "This is a test", "a  b   c", "trailing ", "  ", "\t", "\n", "我爱我的猫", "I love my cat.", "12345",
    "The following string should be properly encoded: Hello.", "😈", "ﬃ", "：", "", "<unk>", "</s></s>",
    "User: Hello!\nAssistant: Nice to meet you.<|end_of_sentence|>", "<|end_of_sentence|><|begin_of_sentence|>",
]
CHATS = [
    {"messages": [{"role": "system", "content": "You are a helpful chatbot."}, {"role": "user", "content": "Hello!"}],
     "add_generation_prompt": False},
    {"messages": [{"role": "system", "content": "You are a helpful chatbot."}, {"role": "user", "content": "Hello!"}],
     "add_generation_prompt": True},
    {"messages": [{"role": "user", "content": "Hello!"}, {"role": "assistant", "content": "Nice to meet you."},
                  {"role": "user", "content": "我爱我的猫 😈"}], "add_generation_prompt": True},
    {"messages": [{"role": "user", "content": "Hey, are you conscious? Can you talk to me?"}],
     "add_generation_prompt": True},
]
ADDED = ["<s>", "</s>", "<unk>", "<|begin_of_sentence|>", "<|end_of_sentence|>", "<mask:1>", "<|LOC_0|>", "<|LOC_1|>",
         "<|LOC_10|>", "<|LOC_BEGIN|>", "<|LOC_END|>", "<|IMAGE_SEP|>", "<|AUDIO_PLACEHOLDER|>"]
PLAIN = ["Hello", " world", "  ", " ", "\n", "你好", "，", "猫", "12", "<", "|", ">", "<|", "|>", "s>", "<s", "LOC_", "😈", "a"]


def random_texts(n, seed=20261129):
    """Added tokens glued to text, spaces, partial token spellings and each other, in random order."""
    rng = random.Random(seed)
    return ["".join(rng.choice(ADDED if rng.random() < 0.35 else PLAIN) for _ in range(rng.randint(1, 8)))
            for _ in range(n)]


DECODES = [[20, 1, 19], [5, 6, 7], [1, 2, 0], [34], [19, 20, 3000, 3006]]


def tok(content, special=True):
    return {"content": content, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
            "special": special}


def make_folder():
    import sentencepiece as spm
    os.makedirs(OUT, exist_ok=True)
    shutil.copyfile(os.path.join(FIX, "spm", "bpe_ernie.model"), os.path.join(OUT, "tokenizer.model"))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "tokenizer.model"))
    n = sp.get_piece_size()
    pid = lambda p: sp.piece_to_id(p) if sp.id_to_piece(sp.piece_to_id(p)) == p else None
    added = {}
    for p in ["<|IMAGE_PLACEHOLDER|>", "<|AUDIO_PLACEHOLDER|>", "<|LOC_0|>", "<|LOC_1|>", "<|LOC_10|>", "<|LOC_BEGIN|>",
              "<|LOC_END|>", "<|LOC_SEP|>", "<|CROP_COL_SEP|>", "<|CROP_ROW_SEP|>", "<|IMAGE_SEP|>"]:
        added[p] = pid(p) if pid(p) is not None else n + sum(1 for v in added.values() if v >= n)
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<unk>",
                "cls_token": "<|begin_of_sentence|>", "sep_token": "<|end_of_sentence|>", "mask_token": "<mask:1>",
                "sys_start_token": "<mask:4>", "sys_end_token": "<mask:5>"}
    decoder = {}
    for content in ["<unk>", "<s>", "</s>", "<|end_of_sentence|>", "<|begin_of_sentence|>", "<mask:1>", "<mask:4>",
                    "<mask:5>"]:
        decoder[str(pid(content))] = tok(content)
    for content, i in added.items():
        decoder[str(i)] = tok(content)
    decoder = dict(sorted(decoder.items(), key=lambda kv: int(kv[0])))
    additional = [c for c in added] + ["<mask:4>", "<mask:5>"]
    config = {"add_bos_token": False, "add_eos_token": False, "add_prefix_space": False, "legacy": True,
              "added_tokens_decoder": decoder, "additional_special_tokens": additional, **specials,
              "chat_template": CHAT_TEMPLATE, "clean_up_tokenization_spaces": False, "model_max_length": 131072,
              "spaces_between_special_tokens": False, "tokenizer_class": "LlamaTokenizer",
              "sp_model_kwargs": {}}
    special_map = {**{k: tok(v) for k, v in specials.items()},
                   "additional_special_tokens": [tok(c) for c in additional]}
    with open(os.path.join(OUT, "added_tokens.json"), "w") as f:
        json.dump(added, f, indent=2)
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
    with open(os.path.join(OUT, "special_tokens_map.json"), "w") as f:
        json.dump(special_map, f, indent=2)
    print(f"wrote {OUT}: tokenizer.model ({n} pieces), added_tokens.json ({len(added)}), tokenizer_config.json, "
          f"special_tokens_map.json")


def make_ids():
    import tokenizers
    import transformers
    from transformers import LlamaTokenizerFast
    assert transformers.__version__ == TRANSFORMERS_VERSION, transformers.__version__
    assert tokenizers.__version__ == TOKENIZERS_VERSION, tokenizers.__version__
    t = LlamaTokenizerFast.from_pretrained(OUT, legacy=True, add_bos_token=False, add_eos_token=False,
                                           from_slow=True)
    encodes = [{"text": s, "ids": t.encode(s, add_special_tokens=False)} for s in TEXTS + random_texts(400)]
    chats = []
    for c in CHATS:
        text = t.apply_chat_template(c["messages"], tokenize=False, add_generation_prompt=c["add_generation_prompt"])
        ids = t.apply_chat_template(c["messages"], tokenize=True, add_generation_prompt=c["add_generation_prompt"])
        if hasattr(ids, "keys"):
            ids = ids["input_ids"]
        chats.append({**c, "text": text, "ids": list(ids)})
    decodes = [{"ids": ids, "text": t.decode(ids, skip_special_tokens=False),
                "skip_special": t.decode(ids, skip_special_tokens=True)} for ids in DECODES]
    out = {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__, "class": type(t).__name__,
           "len": len(t), "bos_token_id": t.bos_token_id, "eos_token_id": t.eos_token_id, "pad_token_id": t.pad_token_id,
           "cls_token_id": t.cls_token_id, "sep_token_id": t.sep_token_id,
           "encodes": encodes, "chats": chats, "decodes": decodes}
    path = os.path.join(OUT, "transformers.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    print(f"wrote {path}: {len(encodes)} encodes, {len(chats)} chats, {len(decodes)} decodes; len(tokenizer)={len(t)}")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "folder":
        make_folder()
    elif cmd == "ids":
        make_ids()
    else:
        print(__doc__)
        sys.exit(2)
