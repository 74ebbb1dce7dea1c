"""What the core accepts: clear errors for input it cannot proofread, and a reason to leave
text unchanged when proofreading it would do harm (another language, nothing to correct)."""

from __future__ import annotations

import re

from backend.types import Fallback

_HTML_TAG = re.compile(r"<\s*(html|body|div|p|br|span|table|td|tr|b|i|a\s+href|font|style|head)\b[^>]*>", re.I)
_ENGLISH_FUNCTION_WORDS = set(
    "the a an to of and in is it you that for on with be are this have i we your will as at can please".split()
)


class InputError(ValueError):
    """A draft the core refuses, with a stable machine-readable code for clients."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_input(text: str, max_chars: int) -> None:
    if not isinstance(text, str):
        raise InputError("not_text", "The draft must be text.")
    if not text.strip():
        raise InputError("empty", "The draft is empty: there is nothing to proofread.")
    if len(text) > max_chars:
        raise InputError(
            "too_large", f"The draft has {len(text):,} characters; the limit is {max_chars:,}. Proofread it in parts."
        )
    if not _is_encodable(text):
        # JSON can carry half of a UTF-16 pair ("\\ud800"); no tokenizer or classifier can read it.
        raise InputError(
            "binary", "The draft contains a broken character (half of an emoji or symbol pair). Remove it and try again."
        )
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if "\x00" in text or "\ufffd" in text or controls > 0.01 * len(text):
        raise InputError("binary", "The draft contains binary data or invalid characters, not text.")
    if len(_HTML_TAG.findall(text)) >= 2:
        raise InputError("html", "The draft looks like HTML markup. Send the email as plain text.")


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unchanged_reason(text: str) -> Fallback | None:
    """Why the text should come back untouched (with a warning) instead of going to the model."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return Fallback.NO_WORDS
    latin = sum(1 for ch in letters if ch.isascii())
    if latin < 0.7 * len(letters):
        return Fallback.NOT_ENGLISH
    words = re.findall(r"[A-Za-z']+", text.lower())
    if len(words) >= 8 and sum(w in _ENGLISH_FUNCTION_WORDS for w in words) < 0.08 * len(words):
        return Fallback.NOT_ENGLISH
    return None
