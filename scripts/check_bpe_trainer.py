#!/usr/bin/env python3
"""Checks LMLab's BPE trainer (Sources/Tokenizers/BPETrainer.swift) against the `sentencepiece` library.

The models under Tests/TokenizersTests/Fixtures/trainer/ are written by OUR trainer, not by the library.
This script proves the library accepts them and records how the library encodes a few thousand strings with
them; the Swift test BPETrainerTests retrains the models (byte-identical) and checks our encoder gives the same ids.

Steps (run from the repository root):
  1. python3 scripts/check_bpe_trainer.py corpus
       writes Fixtures/trainer/corpus.txt: a deterministic mixed Chinese/English/digits/emoji corpus (seeded).
  2. LMLAB_WRITE_FIXTURES=1 swift test --filter BPETrainerTests
       our trainer writes Fixtures/trainer/{ernie_like,dummy_prefix}.model from corpus.txt.
  3. python3 scripts/check_bpe_trainer.py ids
       loads each model in the library, checks its pieces/types/scores, and writes
       Fixtures/trainer/<model>.json = {"sentencepiece": version, "cases": [{"text": …, "ids": […]}, …]}.

Pinned: pip install sentencepiece==0.2.1   (the same version as scripts/make_spm_fixtures.py)
"""
import json
import os
import random
import sys

import sentencepiece as spm

SENTENCEPIECE_VERSION = "0.2.1"
SEED = 20261129
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "TokenizersTests", "Fixtures", "trainer")
MODELS = {"ernie_like": 2500, "dummy_prefix": 600}   # model name → number of test strings

ZH_WORDS = (
    "我们 你们 他们 语言 模型 概率 句子 词语 汉字 文本 生成 翻译 学习 训练 数据 计算 机器 神经 网络 注意 力量 "
    "今天 明天 昨天 天气 很好 非常 喜欢 猫咪 小狗 朋友 老师 学生 学校 电脑 手机 程序 代码 问题 答案 世界 中国 "
    "北京 上海 城市 时间 地方 东西 事情 工作 生活 知道 觉得 可以 因为 所以 但是 如果 已经 还是 一个 这个 那个 "
    "什么 怎么 为什么 没有 不是 就是 可能 应该 需要 开始 结束 下一个 预测 解码 搜索 采样 温度 向量 矩阵 梯度 "
    "参数 文心 百度 飞桨 实验 课程 终端 字符 字节 编码 解释 例子 苹果 香蕉 咖啡 茶 水 山 河 海 风 雨 雪 花 "
    "的 了 是 在 有 和 也 都 很 就 不 人 大 小 好 看 说 想 去 来 吃 喝"
).split()
EN_WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from or one had by word "
    "but not what all were we when your can said there use an each which she do how their if will up other about "
    "out many then them these so some her would make like him into time has look two more write go see number no "
    "way could people my than first water been call who oil its now find long down day did get come made may part "
    "language model token tokens transformer attention hello world learning neural network probability sentence "
    "beam search sampling temperature embedding vector matrix gradient training inference softmax decoder layer "
    "weight bias ERNIE Swift Linux terminal lesson lab tensor kernel memory cache unicode emoji character byte "
    "don't it's I'm we're naïve café résumé"
).split()
PUNCT_EN = [".", ",", "!", "?", ";", ":", " -", "\"", "(", ")"]
PUNCT_ZH = ["，", "。", "！", "？", "、", "：", "；", "（", "）", "「", "」"]
EMOJI = ["😀", "😂", "😈", "👍", "🔥", "🎉", "🚀", "🐱", "🌏", "❤️", "✅"]
RARE = ["ß", "ø", "Ω", "λ", "Ж", "я", "ع", "ש", "ก", "한국어", "日本語です", "ﬃ", "Ｈｅｌｌｏ", "：", "\u00a0", "→", "∑", "½"]


def number(rng):
    return rng.choice([str(rng.randint(0, 99)), str(rng.randint(100, 99999)), f"{rng.randint(0, 99)}.{rng.randint(0, 99)}",
                       f"{rng.randint(1990, 2030)}年", f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"])


def english(rng):
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(3, 14))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), number(rng))
    s = " ".join(words)
    s = s[0].upper() + s[1:]
    return s + rng.choice(PUNCT_EN[:4])


def chinese(rng):
    parts = []
    for _ in range(rng.randint(2, 6)):
        parts.append("".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(2, 6))))
        if rng.random() < 0.2:
            parts.append(number(rng))
    return rng.choice(PUNCT_ZH[:4]).join(parts) + rng.choice(["。", "！", "？"])


def corpus_line(rng):
    r = rng.random()
    if r < 0.45:
        s = english(rng)
    elif r < 0.85:
        s = chinese(rng)
    else:
        s = chinese(rng) + rng.choice(["", " "]) + english(rng)
        if rng.random() < 0.5:
            s += " " + rng.choice(EMOJI)
    if rng.random() < 0.15 and " " in s:          # runs of spaces, kept by ERNIE's normalizer
        i = rng.choice([k for k, c in enumerate(s) if c == " "])
        s = s[:i] + rng.choice(["  ", "   ", "    "]) + s[i + 1:]
    return s


def make_corpus():
    rng = random.Random(SEED)
    lines = [corpus_line(rng) for _ in range(4000)]
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "corpus.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {path}: {len(lines)} lines, {os.path.getsize(path)} bytes")


def test_strings(seed, n):
    """Corpus-like lines plus edge cases: odd whitespace, unseen characters, digits, byte fallback, empty."""
    rng = random.Random(seed)
    fixed = ["", " ", "  ", "a  b   c", "trailing ", " leading", "\t", "\n", "a\nb", "12345", "3.14159",
             "Hello, world!", "hello world", "我爱我的猫", "I love my cat.", "▁", "▁▁x", "😈", "ﬃ", "\u00a0x",
             "<s>", "</s>", "<unk>", "<0x41>", "e\u0301", "\u0000", "\ufeffBOM"]
    out = list(fixed)
    while len(out) < n:
        r = rng.random()
        if r < 0.6:
            s = corpus_line(rng)
        elif r < 0.75:
            s = corpus_line(rng)
            i = rng.randrange(len(s) + 1)
            s = s[:i] + rng.choice(RARE + EMOJI + ["  ", "\t", "\n", " "]) + s[i:]
        elif r < 0.9:
            s = corpus_line(rng)
            a = rng.randrange(len(s))
            s = s[a:a + rng.randint(1, 12)]
        else:
            s = "".join(rng.choice(RARE + EMOJI + [" ", "a", "的", "1", "▁"]) for _ in range(rng.randint(1, 8)))
        out.append(s)
    return out


def make_ids():
    assert spm.__version__ == SENTENCEPIECE_VERSION, f"need sentencepiece=={SENTENCEPIECE_VERSION}, have {spm.__version__}"
    for i, (name, n) in enumerate(MODELS.items()):
        path = os.path.join(OUT, f"{name}.model")
        sp = spm.SentencePieceProcessor(model_file=path)
        size = sp.get_piece_size()
        # The library's view of the pieces our trainer wrote.
        assert sp.is_unknown(0) and sp.is_control(1) and sp.is_control(2), "specials"
        n_bytes = sum(sp.is_byte(j) for j in range(size))
        assert n_bytes == 256, f"{name}: {n_bytes} byte pieces"
        # Learned pieces: scores strictly decreasing in id order (merge order), as the trainer promises.
        learned = [sp.get_score(j) for j in range(size)
                   if not (sp.is_byte(j) or sp.is_control(j) or sp.is_unknown(j)) and sp.get_score(j) < 0]
        assert all(a > b for a, b in zip(learned, learned[1:])), f"{name}: scores not strictly decreasing"
        cases = []
        for text in test_strings(SEED + 1 + i, n):
            cases.append({"text": text, "ids": sp.encode(text)})
        round_trips = sum(sp.decode(c["ids"]) == c["text"] for c in cases)
        out = os.path.join(OUT, f"{name}.json")
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"sentencepiece": spm.__version__, "model": f"{name}.model", "pieces": size, "cases": cases},
                      f, ensure_ascii=False, separators=(",", ":"))
        print(f"wrote {out}: {len(cases)} strings, model has {size} pieces ({n_bytes} byte pieces), "
              f"library decode(encode(s)) == s for {round_trips}/{len(cases)}")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "corpus":
        make_corpus()
    elif cmd == "ids":
        make_ids()
    else:
        print(__doc__)
        sys.exit(2)
