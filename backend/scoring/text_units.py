"""Split an email into the units the classifiers score: its sentences, with the greeting line joined
to the first sentence and the sign-off joined to the last, so that "Hi Sam," and "Thanks, Dana" count
as strategies of the email instead of being scored as sentences on their own.

Only the writer's own text is scored. A header block pasted at the top (`Subject:`, `To:`...) is
metadata, not prose; a quoted thread is someone else's text. Threads are recognised by what mail
clients write: an `On ... wrote:` attribution, an original/forwarded-message separator, a `From:`
header after the writer's text, and `>` quote marks."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|to whom)\b[^\n]{0,40}$", re.I)
_NAME_LINE = re.compile(r"^[A-Z][\w.'-]*( [A-Z][\w.'-]*){0,2}\s*[,:]$")  # "Alfonso," or "Mary Ann:" opening the email
_HEADER = re.compile(r"^(subject|re|fwd?|to|from|cc|bcc|date|sent|reply-to|importance)\s*:", re.I)
# Longer than this, a "Subject: ..." line is prose that happens to start like a header (AESLC has
# "Subject: Access Card Information  Dear Colleagues, We know...": header and body on one line).
_HEADER_MAX_WORDS = 20
_SEPARATOR = re.compile(
    r"^(-{2,}\s*(original message|forwarded message|forwarded by)\b|begin forwarded message:|_{10,}$)", re.I)
_ATTRIBUTION_START = re.compile(r"^on\s.{4,}", re.I)  # "On Mon, 3 May 2021 at 10:02, Sam <s@x.org> wrote:"
_WROTE = re.compile(r"\bwrote:$", re.I)

MAX_UNITS = 16  # a longer email is scored on its first 15 sentences and its last (latency budget)


def _is_header(line: str) -> bool:
    return bool(_HEADER.match(line)) and len(line.split()) <= _HEADER_MAX_WORDS


def _attribution_length(lines: list[str], i: int) -> int:
    """Lines taken by an `On ... wrote:` attribution starting at line i (clients wrap it onto a
    second line when the date and address are long), or 0."""
    if not _ATTRIBUTION_START.match(lines[i]):
        return 0
    if _WROTE.search(lines[i]):
        return 1
    if i + 1 < len(lines) and _WROTE.search(lines[i + 1]) and len(lines[i + 1].split()) <= 8:
        return 2
    return 0


def _quote_follows(lines: list[str], i: int) -> bool:
    following = next((line for line in lines[i:] if line), "")
    return following.startswith(">")


def own_text_lines(text: str) -> list[str]:
    """The writer's own non-empty lines: without a header block at the top, quoted (`>`) lines or a
    quoted thread below."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not kept and _is_header(line):
            i += 1  # the header block at the top: metadata to skip, the email starts below it
            continue
        if line.startswith(">"):
            i += 1  # an inline or bottom quote; the writer's reply may continue below it
            continue
        attribution = _attribution_length(lines, i)
        if attribution and _quote_follows(lines, i + attribution):
            i += attribution  # "On ... wrote:" above `>` lines: the reply may continue below them
            continue
        if attribution or _SEPARATOR.match(line) or (kept and line.lower().startswith("from:") and _is_header(line)):
            break  # a top-posted reply: everything from here down is the thread
        if line:
            kept.append(line)
        i += 1
    return kept


def own_text(text: str) -> str:
    """The part of an email its writer wrote, one line per non-empty line."""
    return "\n".join(own_text_lines(text))


def units(text: str) -> list[str]:
    kept = own_text_lines(text)
    if not kept:
        return []
    opens_with_greeting = _GREETING.match(kept[0]) or _NAME_LINE.match(kept[0])
    greeting = kept.pop(0) if opens_with_greeting and len(kept) > 1 else ""
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
