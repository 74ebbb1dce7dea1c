"""Word-level diff between the original and the corrected email."""

from __future__ import annotations

import difflib
import re

from backend.types import DiffSegment

# Words, single punctuation marks and whitespace runs are separate tokens, so a diff never
# merges two words or drops the space between them.
_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(original: str, corrected: str) -> list[DiffSegment]:
    a, b = tokenize(original), tokenize(corrected)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    segments: list[DiffSegment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        segments.append(DiffSegment(op=op, original="".join(a[i1:i2]), corrected="".join(b[j1:j2])))
    return _absorb_lone_spaces(segments)


def _absorb_lone_spaces(segments: list[DiffSegment]) -> list[DiffSegment]:
    """Folds a whitespace-only `equal` between two changes into one change, so a reader sees
    "went to" -> "goes into" as one edit rather than two edits around a shared space."""
    merged: list[DiffSegment] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        if (
            seg.op == "equal"
            and seg.original.isspace()
            and merged
            and merged[-1].op != "equal"
            and i + 1 < len(segments)
            and segments[i + 1].op != "equal"
        ):
            nxt = segments[i + 1]
            prev = merged.pop()
            merged.append(
                DiffSegment(
                    op="replace",
                    original=prev.original + seg.original + nxt.original,
                    corrected=prev.corrected + seg.corrected + nxt.corrected,
                )
            )
            i += 2
            continue
        merged.append(seg)
        i += 1
    return merged


def changed_word_share(original: str, corrected: str) -> float:
    """Share of the original's words that the correction changed or deleted (over-correction measure)."""
    words_a = [t for t in tokenize(original) if not t.isspace()]
    words_b = [t for t in tokenize(corrected) if not t.isspace()]
    if not words_a:
        return 0.0 if not words_b else 1.0
    matcher = difflib.SequenceMatcher(a=words_a, b=words_b, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return 1.0 - kept / len(words_a)
