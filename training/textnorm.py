"""JFLEG-style tokenization: the references are tokenized (`do n't`, spaces before punctuation),
so model inputs are detokenized and model outputs re-tokenized the same way before GLEU."""

from __future__ import annotations

import re

_CONTRACTION_SPLIT = re.compile(r"(?i)\b(\w+)(n't|'s|'re|'ve|'ll|'d|'m)\b")
_PUNCT = re.compile(r"([.,!?;:()\[\]{}\"]|\.\.\.)")


def tokenize(text: str) -> str:
    """Splits punctuation and English clitics off words, PTB-like, as JFLEG's sources and references are."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = _CONTRACTION_SPLIT.sub(r"\1 \2", text)
    # split punctuation, but keep decimals (3.5), thousands (1,000), times (9:00) and abbreviations like "e.g."
    text = re.sub(r"(?<!\d)([,:])|([,:])(?!\d)", lambda m: f" {m.group(0)} ", text)
    text = re.sub(r"([!?;()\[\]{}\"])", r" \1 ", text)
    # JFLEG splits only the final period of a line ("cars. Then ... cars ."), and "..." as one token
    text = re.sub(r"(?<!\s)(\.\.\.|\.)\s*$", r" \1", text.rstrip())
    return " ".join(text.split())


def detokenize(text: str) -> str:
    """Undoes JFLEG tokenization so a model sees ordinary text."""
    text = " " + text.strip() + " "
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text, flags=re.I)
    text = re.sub(r" ([.,!?;:%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    # paired straight quotes: attach opening ones to the following word, closing ones to the preceding
    parts = text.split(' " ')
    if len(parts) > 1:
        rebuilt = parts[0]
        for i, part in enumerate(parts[1:]):
            rebuilt += (' "' if i % 2 == 0 else '" ') + part
        text = rebuilt
    text = re.sub(r" +", " ", text)
    return text.strip()
