"""Splits a long email into paragraph groups the small model handles well, and joins them back
with the exact original separators, so structure and blank lines survive."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n\s*)")
_SENTENCE_END = re.compile(r"(?<=[.!?])(\s+)")


@dataclass(frozen=True)
class Chunk:
    text: str
    separator: str  # whitespace that followed it in the original


def _word_count(text: str) -> int:
    return len(text.split())


def _split_pieces(text: str, pattern: re.Pattern) -> list[Chunk]:
    parts = pattern.split(text)
    return [Chunk(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]


def split_into_chunks(text: str, max_words: int) -> list[Chunk]:
    pieces: list[Chunk] = []
    for paragraph in _split_pieces(text, _PARAGRAPH_BREAK):
        if _word_count(paragraph.text) <= max_words:
            pieces.append(paragraph)
            continue
        sentences = _split_pieces(paragraph.text, _SENTENCE_END)
        sentences[-1] = Chunk(sentences[-1].text, paragraph.separator)
        pieces.extend(sentences)

    chunks: list[Chunk] = []
    for piece in pieces:
        if chunks and _word_count(chunks[-1].text) + _word_count(piece.text) <= max_words:
            last = chunks.pop()
            chunks.append(Chunk(last.text + last.separator + piece.text, piece.separator))
        else:
            chunks.append(piece)
    return chunks


def join_chunks(texts: list[str], chunks: list[Chunk]) -> str:
    return "".join(t + c.separator for t, c in zip(texts, chunks))
