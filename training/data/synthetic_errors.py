"""Realistic errors injected into real emails: the email is the target, the damaged copy the source.

Seeded per email (`random.Random(f"{seed}:{email_id}")`), so a data set rebuilds byte for byte.
Numbers, links and addresses are never touched (the serving guard rejects rewrites that change them).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

_WORD = re.compile(r"(?<![\w@/.-])[A-Za-z][A-Za-z']*(?![\w@/-])")

ARTICLES = {"a", "an", "the"}
PREPOSITIONS = ["in", "on", "at", "for", "to", "of", "with", "from", "about", "by"]
AGREEMENT = {"is": "are", "are": "is", "was": "were", "were": "was", "has": "have", "have": "has",
             "does": "do", "do": "does", "doesn't": "don't", "don't": "doesn't", "this": "these", "these": "this"}
IRREGULAR = {"sent": "send", "made": "make", "went": "go", "took": "take", "got": "get", "gave": "give",
             "came": "come", "told": "tell", "thought": "think", "received": "receive", "been": "be",
             "seen": "see", "written": "write", "done": "do", "known": "know", "spoke": "speak", "left": "leave"}
MISSPELLINGS = {"receive": "recieve", "received": "recieved", "separate": "seperate", "definitely": "definately",
                "until": "untill", "tomorrow": "tommorow", "necessary": "neccessary", "occurred": "occured",
                "which": "wich", "because": "becuase", "business": "buisness", "schedule": "schedual",
                "their": "there", "there": "their", "your": "you're", "its": "it's", "then": "than",
                "than": "then", "whether": "wether", "address": "adress", "believe": "beleive",
                "really": "realy", "meeting": "meating", "already": "allready", "know": "no", "to": "too",
                "would": "woud", "forward": "foward", "information": "infomation", "question": "questoin",
                "appreciate": "apreciate", "available": "availible", "beginning": "begining", "let's": "lets",
                "don't": "dont", "can't": "cant", "i'm": "im", "it's": "its", "we're": "were", "you're": "your"}
FUNCTION_WORDS = {"to", "is", "be", "of", "the", "a", "will", "have", "are", "that", "for", "and", "it", "in"}

ERROR_TYPES = ["article", "preposition", "agreement", "verb_form", "spelling", "punctuation", "capitalization",
               "missing_word", "repeated_word", "word_order"]


@dataclass
class NoiseConfig:
    errors_per_word: float = 0.05  # about one error per 20 words
    min_errors: int = 1
    max_errors: int = 6
    weights: dict[str, float] = field(default_factory=lambda: {
        "article": 1.2, "preposition": 1.0, "agreement": 1.2, "verb_form": 1.0, "spelling": 2.0,
        "punctuation": 1.0, "capitalization": 0.8, "missing_word": 0.8, "repeated_word": 0.4, "word_order": 0.4})


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _replace(text: str, match: re.Match, new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


def _keep_case(old: str, new: str) -> str:
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _pick(rng: random.Random, matches: list[re.Match], test) -> re.Match | None:
    candidates = [m for m in matches if test(m.group(0))]
    return rng.choice(candidates) if candidates else None


def _delete_word(text: str, m: re.Match) -> str:
    start, end = m.start(), m.end()
    if end < len(text) and text[end] == " ":
        end += 1
    elif start > 0 and text[start - 1] == " ":
        start -= 1
    return text[:start] + text[end:]


def inject_one(text: str, kind: str, rng: random.Random) -> str | None:
    """Applies one error of `kind`, or returns None if the text offers no place for it."""
    words = _words(text)
    low = lambda w: w.lower()  # noqa: E731
    if kind == "article":
        m = _pick(rng, words, lambda w: low(w) in ARTICLES)
        if not m:
            return None
        if rng.random() < 0.5:
            return _delete_word(text, m)
        options = sorted(ARTICLES - {low(m.group(0))})
        return _replace(text, m, _keep_case(m.group(0), rng.choice(options)))
    if kind == "preposition":
        m = _pick(rng, words, lambda w: low(w) in PREPOSITIONS)
        if not m:
            return None
        return _replace(text, m, _keep_case(m.group(0), rng.choice([p for p in PREPOSITIONS if p != low(m.group(0))])))
    if kind == "agreement":
        m = _pick(rng, words, lambda w: low(w) in AGREEMENT)
        if m:
            return _replace(text, m, _keep_case(m.group(0), AGREEMENT[low(m.group(0))]))
        m = _pick(rng, words, lambda w: len(w) > 4 and w.endswith("s") and not w.endswith("ss") and w.islower())
        return _replace(text, m, m.group(0)[:-1]) if m else None
    if kind == "verb_form":
        m = _pick(rng, words, lambda w: low(w) in IRREGULAR or (w.islower() and len(w) > 5 and w.endswith(("ed", "ing"))))
        if not m:
            return None
        w = m.group(0)
        if low(w) in IRREGULAR:
            new = IRREGULAR[low(w)]
        elif w.endswith("ing"):
            new = w[:-3] + rng.choice(["", "ed", "s"])
        else:
            new = w[:-2] + rng.choice(["", "ing", "s"]) if not w.endswith("eed") else w
        return _replace(text, m, _keep_case(w, new)) if new != w else None
    if kind == "spelling":
        m = _pick(rng, words, lambda w: low(w) in MISSPELLINGS)
        if m and rng.random() < 0.5:
            return _replace(text, m, _keep_case(m.group(0), MISSPELLINGS[low(m.group(0))]))
        m = _pick(rng, words, lambda w: len(w) >= 5 and w.isalpha() and w.islower())
        if not m:
            return None
        w, i = m.group(0), rng.randrange(1, len(m.group(0)) - 1)
        op = rng.choice(["swap", "drop", "double", "vowel"])
        if op == "swap":
            new = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        elif op == "drop":
            new = w[:i] + w[i + 1 :]
        elif op == "double":
            new = w[:i] + w[i] + w[i:]
        else:
            vowels = [j for j, c in enumerate(w) if c in "aeiou" and j > 0]
            if not vowels:
                return None
            j = rng.choice(vowels)
            new = w[:j] + rng.choice([v for v in "aeiou" if v != w[j]]) + w[j + 1 :]
        return _replace(text, m, new) if new != w else None
    if kind == "punctuation":
        spots = [m for m in re.finditer(r"(?<=[A-Za-z])([,.?!])(?=\s|$)", text)]
        if not spots:
            return None
        m = rng.choice(spots)
        mark = m.group(1)
        if mark == "," or rng.random() < 0.5:
            return text[: m.start()] + text[m.end() :]  # drop the mark
        return text[: m.start()] + ("," if mark == "." else ".") + text[m.end() :]
    if kind == "capitalization":
        m = _pick(rng, words, lambda w: w == "I")
        if m and rng.random() < 0.4:
            return _replace(text, m, "i")
        starts = [mm for mm in re.finditer(r"(?:^|(?<=[.!?]\s)|(?<=\n))([A-Z])(?=[a-z])", text, re.M)]
        if starts and rng.random() < 0.7:
            mm = rng.choice(starts)
            return text[: mm.start(1)] + mm.group(1).lower() + text[mm.end(1) :]
        m = _pick(rng, words, lambda w: w.islower() and len(w) > 3)
        return _replace(text, m, m.group(0).capitalize()) if m else None
    if kind == "missing_word":
        m = _pick(rng, words, lambda w: low(w) in FUNCTION_WORDS)
        return _delete_word(text, m) if m else None
    if kind == "repeated_word":
        m = _pick(rng, words, lambda w: w.islower() and len(w) > 1)
        return text[: m.end()] + " " + m.group(0) + text[m.end() :] if m else None
    if kind == "word_order":
        pairs = [(a, b) for a, b in zip(words, words[1:]) if text[a.end() : b.start()] == " "
                 and a.group(0).islower() and b.group(0).islower() and a.group(0) != b.group(0)]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        return text[: a.start()] + b.group(0) + " " + a.group(0) + text[b.end() :]
    raise ValueError(f"unknown error type {kind!r}")


def inject_errors(text: str, rng: random.Random, config: NoiseConfig | None = None) -> tuple[str, list[str]]:
    """Returns (noisy text, error types applied); the text differs from the input whenever any applied."""
    config = config or NoiseConfig()
    n_words = len(text.split())
    expected = n_words * config.errors_per_word
    count = max(config.min_errors, min(config.max_errors, int(expected + rng.random())))
    kinds, weights = zip(*config.weights.items())
    applied: list[str] = []
    attempts = 0
    while len(applied) < count and attempts < count * 6:
        attempts += 1
        kind = rng.choices(kinds, weights)[0]
        noisy = inject_one(text, kind, rng)
        if noisy is not None and noisy != text:
            text = noisy
            applied.append(kind)
    return text, applied
