#!/usr/bin/env python3
"""Writes the word-analogy test sets of the word2vec lesson from the lexicons of scripts/make_corpus.py.

    python3 scripts/make_analogies.py

Output (Lessons/data/): analogies.en.txt and analogies.zh.txt in the format of Mikolov's questions-words.txt
(https://github.com/tmikolov/word2vec): a line ": section" opens a relation, then one question per line,
"a b c d" meaning a : b :: c : d (d is the answer). Every ordered pair of two different lexicon pairs is a question.

Only relations the story generator really plants are asked, with the words as the corpus spells them after
lowercasing (the English corpus is lowercased into words by WordTokenizer). Pairs are left out when a side is
several words (Mexico City) or when both sides are the same word (sheep/sheep, fish/fish), since such a question
has no answer other than an input. The Chinese file uses the Chinese lexicon words; the Chinese corpus is cut into
characters, so most of these words are several tokens: the file is for a word-segmented Chinese corpus.

Deterministic, standard library only; it imports the lexicons from make_corpus.py so the two never drift apart.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_corpus as mc  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Lessons", "data")


def sections_en():
    capital = [(cap.lower(), country.lower()) for country, cap, _, _ in mc.COUNTRIES]
    sound = [(sg, snd) for sg, _, _, _, snd, _ in mc.ANIMALS]
    plural_animal = [(sg, pl) for sg, pl, _, _, _, _ in mc.ANIMALS]
    plural_food = [(sg, pl) for sg, pl, _, _ in mc.FOODS]
    gender = [(m, f) for m, f, _, _ in mc.ROLES] + [("he", "she"), ("his", "her")]
    return [("capital-country", capital), ("animal-sound", sound), ("animal-plural", plural_animal),
            ("food-plural", plural_food), ("male-female", gender)]


def sections_zh():
    capital = [(zcap, zcountry) for _, _, zcountry, zcap in mc.COUNTRIES]
    sound = [(za, zsnd) for _, _, za, _, _, zsnd in mc.ANIMALS]
    gender = [(zm, zf) for _, _, zm, zf in mc.ROLES] + [("他", "她")]
    return [("capital-country", capital), ("animal-sound", sound), ("male-female", gender)]


def questions(pairs):
    """Every (a, b, c, d) with (a, b) ≠ (c, d) among pairs that are single, distinct words."""
    ok = [(a, b) for a, b in pairs if " " not in a and " " not in b and a != b]
    # Drop pairs whose words collide with another pair's (e.g. two animals with the same sound): the answer would be
    # ambiguous.
    words = [w for p in ok for w in p]
    ok = [(a, b) for a, b in ok if words.count(a) == 1 and words.count(b) == 1]
    return [(a, b, c, d) for a, b in ok for c, d in ok if (a, b) != (c, d)]


def write(name, sections):
    path = os.path.join(OUT, name)
    lines, total = [], 0
    for title, pairs in sections:
        qs = questions(pairs)
        lines.append(f": {title}")
        lines.extend(" ".join(q) for q in qs)
        total += len(qs)
        print(f"  {title}: {len(qs)} questions")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.relpath(path)}: {total} questions")


if __name__ == "__main__":
    write("analogies.en.txt", sections_en())
    write("analogies.zh.txt", sections_zh())
