"""Split an email into the units the classifiers score: its sentences, with the greeting line joined
to the first sentence and the sign-off joined to the last, so that "Hi Sam," and "Thanks, Dana" count
as strategies of the email instead of being scored as sentences on their own."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|to whom)\b[^\n]{0,40}$", re.I)
_QUOTED = re.compile(r"^\s*(>|-{3,}\s*original message|from:|sent:|to:|cc:|subject:)", re.I)

MAX_UNITS = 16  # a longer email is scored on its first 15 sentences and its last (latency budget)


def units(text: str) -> list[str]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if _QUOTED.match(line):
            break  # a reply's quoted thread is someone else's text
        if line:
            kept.append(line)
    if not kept:
        return []
    greeting = kept.pop(0) if _GREETING.match(kept[0]) and len(kept) > 1 else ""
    # Short trailing lines (sign-off, name) belong to the last sentence.
    tail: list[str] = []
    while len(kept) > 1 and len(kept[-1].split()) <= 4 and not kept[-1].endswith("?"):
        tail.insert(0, kept.pop())
    sentences: list[str] = []
    for line in kept:
        sentences += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    if not sentences:
        sentences = [" ".join(tail)]
        tail = []
    if len(sentences) > MAX_UNITS:
        sentences = sentences[: MAX_UNITS - 1] + sentences[-1:]
    if greeting:
        sentences[0] = f"{greeting} {sentences[0]}"
    if tail:
        sentences[-1] = f"{sentences[-1]} {' '.join(tail)}"
    return sentences
