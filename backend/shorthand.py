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
    """`rewrite` with every edit that removed a piece of the writer's shorthand put back as the writer had it.
    A change of case ("fyi" -> "FYI") is kept: the shorthand is still there."""
    if not has_shorthand(original):
        return rewrite
    kept = []
    for segment in word_diff(original, rewrite):
        lost = {m.group(0).lower() for m in SHORTHAND.finditer(segment.original)} - {
            m.group(0).lower() for m in SHORTHAND.finditer(segment.corrected)}
        kept.append(segment.original if segment.op != "equal" and lost else segment.corrected)
    return "".join(kept)
