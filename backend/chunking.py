"""Splits a long email into paragraph groups the small model handles well, and joins them back
with the exact original separators, so structure and blank lines survive; inside a group, puts the
draft's own line breaks back into an accepted rewrite."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n\s*)")
_SENTENCE_END = re.compile(r"(?<=[.!?])(\s+)")
_LINE_BREAK = re.compile(r"(\s*\n\s*)")  # a whitespace run with a line break: blank lines, indentation
_TRAILING_BLANKS = re.compile(r"[ \t]+\n")
# English runs about 6 characters per word. A paragraph past this many per allowed word holds a long
# link or a run without spaces: it is split into sentences, so such a run takes only its own sentence
# with it when it is too long for the model and is kept unchanged.
_MAX_CHARS_PER_WORD = 12


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
    max_chars = max_words * _MAX_CHARS_PER_WORD

    def fits(words: int, chars: int) -> bool:
        return words <= max_words and chars <= max_chars

    pieces: list[Chunk] = []
    for paragraph in _split_pieces(text, _PARAGRAPH_BREAK):
        if fits(_word_count(paragraph.text), len(paragraph.text)):
            pieces.append(paragraph)
            continue
        sentences = _split_pieces(paragraph.text, _SENTENCE_END)
        sentences[-1] = Chunk(sentences[-1].text, paragraph.separator)
        pieces.extend(sentences)

    chunks: list[Chunk] = []
    for piece in pieces:
        last = chunks[-1] if chunks else None
        merged = last.text + last.separator + piece.text if last else ""
        if last and fits(_word_count(merged), len(merged)):
            chunks[-1] = Chunk(merged, piece.separator)
        else:
            chunks.append(piece)
    return chunks


def join_chunks(texts: list[str], chunks: list[Chunk]) -> str:
    return "".join(t + c.separator for t, c in zip(texts, chunks))


def lines(text: str) -> list[str]:
    """The text's non-blank lines, without the whitespace around them."""
    return [line for line in _LINE_BREAK.split(text.strip())[::2] if line]


def sign_off_line(line: str) -> bool:
    """A line of an email's closing block (sign-off, name, title): short, and ending no sentence."""
    return len(line.split()) <= 5 and not line.endswith((".", "?", "!"))


def strip_line_ends(text: str) -> str:
    """`text` without spaces or tabs at the end of its lines."""
    return _TRAILING_BLANKS.sub("\n", text)


def keep_line_breaks(original: str, rewrite: str) -> str:
    """`rewrite` with `original`'s own whitespace between lines (blank lines, indentation) and around
    the text. The model tends to close up a blank line between paragraphs; the guards have already
    checked that the rewrite has as many lines as the original."""
    parts = _LINE_BREAK.split(original.strip())
    new_lines = lines(rewrite)
    if len(new_lines) != len(parts[::2]):
        raise ValueError("the rewrite has a different number of lines")
    parts[::2] = new_lines
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    return lead + "".join(parts) + trail
