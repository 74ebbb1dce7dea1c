"""The writer's correct shorthand ("this a.m.", "congrats", "FYI") is theirs to keep: a proofreader that expands
it changes the email's register, not its errors. The shipped model still expands some (it wrote "this a.m." as
"this morning" and "congrats" as "congratulations" in clean dev emails, and a stage trained to leave them alone did
not learn it: models/README.md, "Stage 6"), so the expansion is undone after the model."""

from __future__ import annotations

import re

from backend.diff import word_diff

SHORTHAND = re.compile(r"\b(?:[ap]\.m\.|congrats|FYI|ASAP|info|thx|pls|btw|w/o?|OK|e\.g\.|i\.e\.|etc\.|approx\.|mins?|hrs?|govt?|dept|Q[1-4]|re:)"
                       r"(?!\w)", re.I)


def has_shorthand(text: str) -> bool:
    return bool(SHORTHAND.search(text))


def keep_shorthand(original: str, rewrite: str) -> str:
    """`rewrite` with every edit that touches a piece of the writer's shorthand put back as the writer had it,
    including edits that remove only part of it (the model once wrote "this a.m. call" as "this.m. call").
    A change of case only ("fyi" -> "FYI") is kept: the shorthand is still there."""
    spans = [m.span() for m in SHORTHAND.finditer(original)]
    if not spans:
        return rewrite
    kept, position = [], 0
    for segment in word_diff(original, rewrite):
        start, end = position, position + len(segment.original)
        position = end
        touches = any(start < b and end > a if end > start else a < start < b for a, b in spans)
        case_only = segment.original.lower() == segment.corrected.lower()
        kept.append(segment.original if segment.op != "equal" and touches and not case_only else segment.corrected)
    return "".join(kept)
