#!/usr/bin/env python3
"""Writes the tiny instruct model's SFT data: question/answer pairs about the facts of the story corpus.

Deterministic (fixed seed, standard library only): python3 scripts/make_instruct_data.py
Reads the lexicons of scripts/make_corpus.py (the same facts the base model read in its stories) and writes
  Models/tiny-ernie-instruct/data/train.jsonl     {"question": …, "answer": …} one per line
  Models/tiny-ernie-instruct/data/heldout.jsonl
Kinds of questions, in English and Chinese, answered in the corpus's own sentence style:
  capitals   "What is the capital of France?"  → "Paris is the capital of France."     法国的首都是哪里？ → 巴黎是法国的首都。
  sounds     "What does the dog say?"          → "The dog says woof."                  狗怎么叫？ → 狗汪汪地叫。
  plurals    "What is the plural of mouse?"    → "The plural of mouse is mice."        (English only)
  stories    a two-sentence story, then "Where did Luna go?" / "Who went with Luna?" / "How did Luna feel?"
The held-out split is by fact: a fifth of the countries, animals and nouns never appear in the training
questions, and held-out story questions use their own stories. So the held-out test asks whether fine-tuning taught
the model to answer, with knowledge that only pre-training gave it.
"""
import importlib.util
import json
import os
import random

SEED = 7
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Models", "tiny-ernie-instruct", "data")

spec = importlib.util.spec_from_file_location("make_corpus", os.path.join(HERE, "make_corpus.py"))
corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(corpus)


def split(items, rng):
    """(train, heldout): every fifth item of a seeded shuffle is held out."""
    items = list(items)
    rng.shuffle(items)
    return [x for i, x in enumerate(items) if i % 5 != 4], [x for i, x in enumerate(items) if i % 5 == 4]


def capital_pairs(countries):
    out = []
    for country, capital, zcountry, zcapital in countries:
        for q in (f"What is the capital of {country}?", f"Which city is the capital of {country}?"):
            out.append((q, f"{capital} is the capital of {country}."))
        for q in (f"{zcountry}的首都是哪里？", f"{zcountry}的首都是什么？"):
            out.append((q, f"{zcapital}是{zcountry}的首都。"))
    return out


def sound_pairs(animals):
    out = []
    for sg, pl, za, zm, snd, zsnd in animals:
        for q in (f"What does the {sg} say?", f"What sound does a {sg} make?"):
            out.append((q, f"The {sg} says {snd}."))
        out.append((f"{za}怎么叫？", f"{za}{zsnd}地叫。"))
    return out


def plural_pairs(nouns):
    out = []
    for sg, pl in nouns:
        out.append((f"What is the plural of {sg}?", f"The plural of {sg} is {pl}."))
    return out


def story_pairs(rng, n):
    """n story questions: a short story as context, one question about it."""
    out = []
    for _ in range(n):
        name, zname, g = rng.choice(corpus.PEOPLE)
        pron, poss, zpron = corpus.he(g)
        rm, rf, zrm, zrf = rng.choice(corpus.ROLES)
        role, zrole = (rm, zrm) if rng.random() < 0.5 else (rf, zrf)
        place, zplace = rng.choice(corpus.PLACES)
        time, ztime = rng.choice(corpus.TIMES)
        weather, zweather = rng.choice(corpus.WEATHER)
        feel, zfeel = rng.choice(corpus.FEELINGS)
        en = f"{time}, {name} went to {place} with {poss} {role}. {corpus.cap(weather)}, and {name} was {feel}."
        zh = f"{ztime}，{zname}和{zpron}的{zrole}去了{zplace}。{zweather}，{zname}{zfeel}。"
        kind = rng.randrange(3)
        if rng.random() < 0.5:
            q, a = [(f"Where did {name} go?", f"{name} went to {place}."),
                    (f"Who went with {name}?", f"{cap_(poss)} {role} went with {name}."),
                    (f"How did {name} feel?", f"{name} was {feel}.")][kind]
            out.append((f"{en} {q}", a))
        else:
            q, a = [(f"{zname}去了哪里？", f"{zname}去了{zplace}。"),
                    (f"谁和{zname}一起去的？", f"{zpron}的{zrole}和{zname}一起去的。"),
                    (f"{zname}感觉怎么样？", f"{zname}{zfeel}。")][kind]
            out.append((f"{zh}{q}", a))
    return out


def cap_(s):
    return s[0].upper() + s[1:]


def main():
    rng = random.Random(SEED)
    c_train, c_held = split(corpus.COUNTRIES, rng)
    a_train, a_held = split(corpus.ANIMALS, rng)
    nouns = sorted({(a[0], a[1]) for a in corpus.ANIMALS} | {(f[0], f[1]) for f in corpus.FOODS})
    n_train, n_held = split(nouns, rng)
    train = capital_pairs(c_train) + sound_pairs(a_train) + plural_pairs(n_train) + story_pairs(rng, 600)
    held = capital_pairs(c_held) + sound_pairs(a_held) + plural_pairs(n_held) + story_pairs(rng, 60)
    rng.shuffle(train)
    os.makedirs(OUT, exist_ok=True)
    for name, rows in (("train.jsonl", train), ("heldout.jsonl", held)):
        path = os.path.join(OUT, name)
        with open(path, "w", encoding="utf-8") as f:
            for q, a in rows:
                f.write(json.dumps({"question": q, "answer": a}, ensure_ascii=False) + "\n")
        print(f"wrote {len(rows)} pairs to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
