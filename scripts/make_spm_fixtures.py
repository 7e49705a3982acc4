#!/usr/bin/env python3
"""Fixtures for LMLab's SentencePiece implementation (Sources/Tokenizers/SentencePiece*.swift).

Trains small SentencePiece models with the `sentencepiece` library on a corpus this script generates
deterministically (mixed Chinese / English / digits / emoji), then records, for thousands of test strings,
the library's token ids and the library's decode of those ids. Also records decodes of arbitrary id
sequences (lone byte pieces, control and unknown pieces). The Swift tests must reproduce every one.

Models (Tests/TokenizersTests/Fixtures/spm/<name>.model):
  bpe_ernie    BPE with ERNIE-4.5's settings: byte_fallback, no dummy prefix, whitespace kept, digits split,
               identity normalizer, whitespace-only pieces, user-defined "<|…|>" / "<mask:N>" / digit pieces,
               control symbols.
  bpe_default  BPE with the library's defaults (nmt_nfkc precompiled charsmap, dummy prefix, extra
               whitespace removed, no byte fallback → <unk>).
  unigram      Unigram with the library's defaults.
  unigram_ud   Unigram with byte_fallback, user-defined symbols and treat_whitespace_as_suffix (covers the
               user-defined bonus of the optimized Viterbi and suffix whitespace).
  bpe_unused   bpe_default with a few merged pieces re-typed UNUSED (covers the library's re-segmentation).
  unigram_unused  unigram with a few pieces re-typed UNUSED (the Viterbi must skip them).
  unigram_rules   unigram with a user-defined normalization rule TSV (compiled to a charsmap) and a
               denormalization rule applied after decoding.
  handmade_bpe A tiny BPE model written field by field with protobuf (score ties, UNUSED, user-defined
               piece, <unk> runs); the Swift test writes the same message and compares the bytes.

Usage:  pip install sentencepiece==0.2.1 protobuf==7.36.2 && python3 scripts/make_spm_fixtures.py
"""
import io
import json
import os
import random
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

SENTENCEPIECE_VERSION = "0.2.1"
SEED = 20260507
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TokenizersTests", "Fixtures", "spm")

# ---------------------------------------------------------------------------------------------
# Deterministic corpus (also used by scripts/bench_spm.py)
# ---------------------------------------------------------------------------------------------

COMMON_ZH = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象"
    "员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据"
    "处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车"
    "例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音"
    "众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲"
    "快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞爱猫狗吃喝玩乐朋友学校老师电脑手机"
)
EN_WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not "
    "what all were we when your can said there use an each which she do how their if will up other about out many then "
    "them these so some her would make like him into time has look two more write go see number no way could people my "
    "than first water been call who oil its now find long down day did get come made may part language model token "
    "transformer attention hello world learning neural network probability sentence beam search sampling temperature "
    "embedding vector matrix gradient descent training inference softmax logits decoder encoder layer weight bias "
    "ERNIE Baidu Swift Linux terminal lesson lab compute tensor kernel memory cache unicode emoji character byte"
).split()
EMOJI = ["😀", "😂", "🥲", "😈", "👍", "👍🏽", "🙏🏻", "❤️", "🔥", "🎉", "🚀", "🐱", "🐶", "🌏", "🇨🇳", "🇺🇸", "👨‍👩‍👧‍👦",
         "👩🏽‍💻", "🏳️‍🌈", "1️⃣", "✅", "⭐", "☕"]
PUNCT_EN = [".", ",", "!", "?", ";", ":", " -", "'s", "\"", "(", ")"]
PUNCT_ZH = ["，", "。", "！", "？", "；", "：", "、", "“", "”", "（", "）", "《", "》"]


def zh_char(rng):
    # Mostly common characters; now and then any CJK ideograph, so rare ones miss the vocabulary.
    if rng.random() < 0.003:
        return chr(rng.randint(0x4E00, 0x9FFF))
    return rng.choice(COMMON_ZH)


def en_sentence(rng):
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(3, 14))]
    words[0] = words[0].capitalize()
    s = " ".join(words)
    if rng.random() < 0.3:
        s += rng.choice(PUNCT_EN[:3]) + " " + " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(2, 6)))
    return s + rng.choice([".", "!", "?", "."])


def zh_sentence(rng):
    parts = []
    for _ in range(rng.randint(1, 3)):
        parts.append("".join(zh_char(rng) for _ in range(rng.randint(3, 15))))
    return "，".join(parts) + rng.choice(["。", "！", "？", "。"])


def number(rng):
    r = rng.random()
    if r < 0.3:
        return str(rng.randint(0, 10 ** rng.randint(1, 9)))
    if r < 0.5:
        return f"{rng.randint(1990, 2030)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    if r < 0.7:
        return f"{rng.randint(0, 999)}.{rng.randint(0, 99):02d}"
    if r < 0.85:
        return f"{rng.randint(1, 100)}%"
    return f"+86 {rng.randint(100, 999)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def mixed_sentence(rng):
    out = []
    for _ in range(rng.randint(2, 8)):
        r = rng.random()
        if r < 0.45:
            out.append("".join(zh_char(rng) for _ in range(rng.randint(1, 8))))
        elif r < 0.75:
            out.append(rng.choice(EN_WORDS))
        elif r < 0.9:
            out.append(number(rng))
        else:
            out.append(rng.choice(EMOJI))
        if rng.random() < 0.3:
            out.append(rng.choice(PUNCT_ZH))
    sep = rng.choice(["", " ", ""])
    return sep.join(out)


def corpus_line(rng):
    r = rng.random()
    if r < 0.3:
        s = en_sentence(rng)
    elif r < 0.6:
        s = zh_sentence(rng)
    elif r < 0.9:
        s = mixed_sentence(rng)
    else:
        s = rng.choice(["User: ", "Assistant: ", "Q: ", "A: "]) + rng.choice([en_sentence, zh_sentence])(rng)
    if rng.random() < 0.08:
        s = s.replace(" ", "  ", 1)
    if rng.random() < 0.05:
        s = "    " + s
    if rng.random() < 0.1:
        s += " " + rng.choice(EMOJI)
    return s


def corpus(seed, n):
    rng = random.Random(seed)
    return [corpus_line(rng) for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# Test strings
# ---------------------------------------------------------------------------------------------

USER_DEFINED = ["<|IMAGE_PLACEHOLDER|>", "<|LOC_0|>", "<|LOC_1|>", "<|LOC_10|>", "<|end_of_sentence|>",
                "<|begin_of_sentence|>", "<mask:1>", "<mask:4>", "<mask:5>"]
CONTROL = ["<|CTRL_A|>", "<|CTRL_B|>"]


def test_strings(seed, n_total):
    rng = random.Random(seed)
    out = ["", " ", "  ", "\t", "\n", "a", "▁", "▁▁", " ▁ ", "hello", " Hello", "Hello, world!", "hello, world",
           "This is a test", "我爱我的猫", "I love my cat.", "a  b   c", "trailing ", "  leading", "  both  ",
           "<s>", "</s>", "<unk>", "<pad>", "<s> Hello", "<0x41>", "<0xE4><0xBD>", "⁇", " ⁇ "]
    specials = USER_DEFINED + CONTROL
    handmade = [
        "e\u0301", "cafe\u0301 de\u0301ja\u0300", "a\u0308\u0304", "\u1100\u1161\u11a8", "한국어 텍스트",
        "Tiếng Việt có dấu", "ＡＢＣ１２３ｘｙｚ", "全角：，。！？", "ｶﾀｶﾅ ﾃｽﾄ", "①②③ ⅰⅱⅲ", "ﬁﬂﬃ ﬀ", "㍿ ㎞ ℃ №",
        "x\u00a0y", "x\u3000y", "x\u200by", "\ufeffBOM", "x\u2028y\u2029z", "tab\tsep\tvalues", "line1\nline2\r\nline3",
        "\x00\x01\x02\x1f\x7f", "ctrl\x07bell", "\u0085next", "a\u00adb", "\u202eRTL override", "مرحبا بالعالم",
        "שלום עולם", "Привет, мир!", "नमस्ते दुनिया", "สวัสดีชาวโลก", "こんにちは世界", "カタカナとひらがな",
        "𠀀𠀁𪚥 ext-B", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "👨‍👩‍👧‍👦👩🏽‍💻🏳️‍🌈", "🇨🇳🇺🇸🇯🇵", "1️⃣2️⃣#️⃣", "👍🏻👍🏼👍🏽👍🏾👍🏿",
        "😈", "\U0010FFFF", "\uFFFD", "\uE000 private", "0123456789", "3.14159265358979", "1,000,000.00", "２０２６年",
        "a" * 300, "的" * 200, "ab" * 150, "😀" * 50, " " * 40, "\t" * 20, "\n" * 20, " \t \n " * 10,
        "supercalifragilisticexpialidocious" * 5, "x" + " " * 17 + "y", "end with tab\t", "end with newline\n",
        "<|IMAGE_PLACEHOLDER|>", "<|LOC_0|><|LOC_1|><|LOC_10|>", "<|LOC_", "<|LOC_100|>", "<mask:1>hello<mask:4>",
        " <mask:5> ", "<mask:1 >", "<|end_of_sentence|>User: hi\nAssistant: ", "<|begin_of_sentence|>你好<|end_of_sentence|>",
        "<|CTRL_A|>", "x<|CTRL_B|>y", "<<|LOC_0|>>", "<|LOC_0|<|LOC_1|>",
    ]
    out += handmade
    gens = []

    def g_corpus():
        return corpus_line(rng)

    def g_special_inside():
        s = corpus_line(rng)
        for _ in range(rng.randint(1, 3)):
            i = rng.randint(0, len(s))
            s = s[:i] + rng.choice(specials) + s[i:]
        return s

    def g_spaces():
        parts = [rng.choice(EN_WORDS + list(COMMON_ZH[:50])) for _ in range(rng.randint(1, 6))]
        seps = [rng.choice([" ", "  ", "   ", "\t", "\n", " \n", "\t\t", "\u3000", "\u00a0", " " * rng.randint(4, 12)])
                for _ in parts]
        s = "".join(p + q for p, q in zip(parts, seps))
        if rng.random() < 0.5:
            s = rng.choice([" ", "  ", "\t", "\n", "   "]) + s
        return s

    def g_digits():
        return rng.choice(["", "第", "Price ", "v"]) + number(rng) + rng.choice(["", "元", " USD", "th", "。"])

    def g_emoji():
        return "".join(rng.choice(EMOJI + [" ", "好", "ok"]) for _ in range(rng.randint(1, 8)))

    def g_random_unicode():
        cps = []
        for _ in range(rng.randint(1, 12)):
            block = rng.random()
            if block < 0.2:
                cp = rng.randint(0x20, 0x7E)
            elif block < 0.35:
                cp = rng.randint(0x00, 0x1F) if rng.random() < 0.3 else rng.randint(0x80, 0x2FF)
            elif block < 0.55:
                cp = rng.randint(0x3000, 0x9FFF)
            elif block < 0.7:
                cp = rng.randint(0xFF00, 0xFFEF)
            elif block < 0.85:
                cp = rng.randint(0x1F300, 0x1FAFF)
            else:
                cp = rng.randint(0x300, 0x2FFF) if rng.random() < 0.5 else rng.randint(0x10000, 0x10FFFF)
            if 0xD800 <= cp <= 0xDFFF:
                cp = 0x41
            cps.append(chr(cp))
        return "".join(cps)

    def g_long_word():
        w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(30, 200)))
        return w if rng.random() < 0.5 else "".join(zh_char(rng) for _ in range(rng.randint(30, 120)))

    def g_combining():
        base = rng.choice(["a", "e", "o", "u", "n", "的", "A"])
        return base + "".join(chr(rng.randint(0x300, 0x36F)) for _ in range(rng.randint(1, 4))) + rng.choice(["", " x", "b"])

    def g_fullwidth():
        return "".join(chr(0xFF01 + rng.randint(0, 0x5D)) for _ in range(rng.randint(1, 10)))

    weighted = [(g_corpus, 30), (g_special_inside, 10), (g_spaces, 12), (g_digits, 8), (g_emoji, 6),
                (g_random_unicode, 16), (g_long_word, 4), (g_combining, 6), (g_fullwidth, 6)]
    for g, w in weighted:
        gens += [g] * w
    while len(out) < n_total:
        out.append(rng.choice(gens)())
    return out


def random_id_sequences(sp, seed, n):
    """Id sequences no encoder would produce: lone bytes (invalid UTF-8), control and unknown pieces."""
    rng = random.Random(seed)
    size = sp.get_piece_size()
    byte_ids = [i for i in range(size) if sp.is_byte(i)]
    special_ids = [i for i in range(size) if sp.is_control(i) or sp.is_unknown(i)]
    seqs = [[], [sp.unk_id()], [sp.unk_id(), sp.unk_id()]]
    if byte_ids:
        b = {sp.id_to_piece(i): i for i in byte_ids}
        seqs += [[b["<0xE4>"]], [b["<0xE4>"], b["<0xBD>"]], [b["<0xE4>"], b["<0xBD>"], b["<0xA0>"]],
                 [b["<0xFF>"]], [b["<0x80>"], b["<0x41>"]], [b["<0xF0>"], b["<0x9F>"], b["<0x98>"], b["<0x88>"]],
                 [b["<0xF0>"], b["<0x9F>"], b["<0x98>"]], [b["<0xC0>"], b["<0x80>"]], [b["<0xED>"], b["<0xA0>"], b["<0x80>"]],
                 [b["<0x20>"], b["<0x41>"]], [b["<0xE2>"], b["<0x96>"], b["<0x81>"]]]
    for _ in range(n):
        seq = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.4 and byte_ids:
                seq.append(rng.choice(byte_ids))
            elif r < 0.5 and special_ids:
                seq.append(rng.choice(special_ids))
            else:
                seq.append(rng.randrange(size))
        seqs.append(seq)
    return seqs


# ---------------------------------------------------------------------------------------------
# Training and recording
# ---------------------------------------------------------------------------------------------

def train(name, lines, **options):
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=buf, num_threads=2,
                                   minloglevel=2, **options)
    data = buf.getvalue()
    with open(os.path.join(OUT, f"{name}.model"), "wb") as f:
        f.write(data)
    return data


def make_unused(base_bytes, name):
    """Re-types some multi-character pieces UNUSED: BPE then splits them back into their parts, unigram skips them."""
    m = model_pb2.ModelProto()
    m.ParseFromString(base_bytes)
    rng = random.Random(SEED + 7)
    candidates = [i for i, p in enumerate(m.pieces) if p.type == p.NORMAL and len(p.piece) >= 2]
    for i in rng.sample(candidates, 150):
        m.pieces[i].type = model_pb2.ModelProto.SentencePiece.UNUSED
    data = m.SerializeToString()
    with open(os.path.join(OUT, f"{name}.model"), "wb") as f:
        f.write(data)
    return data


def make_handmade():
    """A tiny BPE model written field by field with protobuf (no training): exercises score ties,
    UNUSED re-splitting, a user-defined piece and <unk> runs, and lets the Swift test build the same
    message with our writer and compare bytes. Only non-default values are set, so presence matches."""
    m = model_pb2.ModelProto()
    T = model_pb2.ModelProto.SentencePiece
    for piece, score, typ in HANDMADE_PIECES:
        p = m.pieces.add()
        p.piece = piece
        if score != 0:
            p.score = score
        if typ != T.NORMAL:
            p.type = typ
    m.trainer_spec.model_type = model_pb2.TrainerSpec.BPE
    m.trainer_spec.vocab_size = len(HANDMADE_PIECES)
    m.normalizer_spec.name = "identity"
    m.normalizer_spec.add_dummy_prefix = False
    data = m.SerializeToString()
    with open(os.path.join(OUT, "handmade_bpe.model"), "wb") as f:
        f.write(data)
    rng = random.Random(SEED + 9)
    alphabet = ["a", "b", "c", " ", "<X>", "d", "ab", "bc"]
    strings = ["", "abc", "ab c", "cab", "aaa", "aaaa", "bbb", "dd", "d d", "<X>ab<X>", " a"]
    strings += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(400)]
    return data, strings


# (piece, score, type) of the hand-made model; the Swift test builds the same list.
HANDMADE_PIECES = [
    ("<unk>", 0.0, 2), ("<s>", 0.0, 3), ("</s>", 0.0, 3),
    ("a", -10.0, 1), ("b", -10.0, 1), ("c", -10.0, 1), ("\u2581", -10.0, 1),
    ("ab", -1.0, 1), ("bc", -1.0, 1), ("abc", -2.0, 1), ("\u2581a", -3.0, 1), ("ca", -4.0, 1), ("cab", -0.5, 1),
    ("aa", -5.0, 1), ("aaa", -5.0, 1), ("bb", -0.25, 5), ("bbb", -0.125, 1), ("<X>", 0.0, 4),
]


def record(name, model_bytes, strings, seed):
    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    cases = []
    for s in strings:
        ids = sp.encode(s)
        dec = sp.decode(ids)
        cases.append({"text": s, "ids": ids, "decoded": dec})
    decode_cases = [{"ids": ids, "decoded": sp.decode(ids)} for ids in random_id_sequences(sp, seed, 600)]
    # Piece spans in the input, in Unicode scalar (Python str) offsets, for a subset of the strings.
    span_cases = []
    for s in strings[:700]:
        proto = sp.encode_as_immutable_proto(s)
        span_cases.append({"text": s, "spans": [[p.id, p.begin, p.end] for p in proto.pieces],
                           "pieces": [p.piece for p in proto.pieces]})
    fixture = {
        "generator": "scripts/make_spm_fixtures.py",
        "sentencepiece": spm.__version__,
        "model": f"{name}.model",
        "vocab_size": sp.get_piece_size(),
        "encode": cases,
        "decode": decode_cases,
        "spans": span_cases,
    }
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
    n_unk = sum(1 for c in cases if sp.unk_id() in c["ids"])
    n_byte = sum(1 for c in cases if any(sp.is_byte(i) for i in c["ids"]))
    n_diff = sum(1 for c in cases if c["decoded"] != c["text"])
    print(f"wrote {path}: {len(cases)} encode cases ({n_unk} with <unk>, {n_byte} with byte pieces, "
          f"{n_diff} decode != text), {len(decode_cases)} decode cases, {os.path.getsize(path)} bytes; "
          f"model {len(model_bytes)} bytes, {sp.get_piece_size()} pieces")


def main():
    if spm.__version__ != SENTENCEPIECE_VERSION:
        sys.exit(f"need sentencepiece=={SENTENCEPIECE_VERSION}, found {spm.__version__}")
    os.makedirs(OUT, exist_ok=True)
    lines = corpus(SEED, 30000)
    strings = test_strings(SEED + 1, 3200)

    digits = [str(d) for d in range(10)]
    ernie = train("bpe_ernie", lines, model_type="bpe", vocab_size=3000, byte_fallback=True,
                  add_dummy_prefix=False, remove_extra_whitespaces=False, split_digits=True,
                  normalization_rule_name="identity", allow_whitespace_only_pieces=True,
                  user_defined_symbols=digits + USER_DEFINED, control_symbols=CONTROL,
                  character_coverage=0.995)
    # The other options stay at the library's defaults; coverage is lowered only so that the small
    # vocabularies hold all required characters (rare ones become <unk> / byte pieces, which we want).
    default_bpe = train("bpe_default", lines, model_type="bpe", vocab_size=2500, character_coverage=0.995)
    unigram = train("unigram", lines, model_type="unigram", vocab_size=2500, character_coverage=0.995)
    unigram_ud = train("unigram_ud", lines, model_type="unigram", vocab_size=2000, byte_fallback=True,
                       character_coverage=0.995,
                       user_defined_symbols=USER_DEFINED, control_symbols=CONTROL,
                       treat_whitespace_as_suffix=True)
    unused = make_unused(default_bpe, "bpe_unused")
    unigram_unused = make_unused(unigram, "unigram_unused")
    # A rule-based normalizer compiled from our own TSV (full-width a–z → ASCII, "。" → "."), and a
    # denormalizer applied after decoding ("!" → "！").
    norm_tsv = os.path.join(OUT, "..", "..", "..", "..", ".spm_rules_norm.tsv")
    denorm_tsv = os.path.join(OUT, "..", "..", "..", "..", ".spm_rules_denorm.tsv")
    with open(norm_tsv, "w") as f:
        f.write("".join(f"{0xFF41 + k:X}\t{0x61 + k:X}\n" for k in range(26)) + "3002\t2E\n")
    with open(denorm_tsv, "w") as f:
        f.write("21\tFF01\n")
    rules = train("unigram_rules", lines, model_type="unigram", vocab_size=2000, character_coverage=0.995,
                  normalization_rule_tsv=norm_tsv, denormalization_rule_tsv=denorm_tsv)
    os.unlink(norm_tsv)
    os.unlink(denorm_tsv)

    record("bpe_ernie", ernie, strings, SEED + 2)
    record("bpe_default", default_bpe, strings, SEED + 3)
    record("unigram", unigram, strings, SEED + 4)
    record("unigram_ud", unigram_ud, strings[:1500], SEED + 5)
    record("bpe_unused", unused, strings[:1500], SEED + 6)
    record("unigram_unused", unigram_unused, strings[:1500], SEED + 7)
    record("unigram_rules", rules, strings[:1500], SEED + 8)
    handmade, handmade_strings = make_handmade()
    record("handmade_bpe", handmade, handmade_strings, SEED + 10)


if __name__ == "__main__":
    main()
