"""Greedy decoding that drafts tokens from the prompt and verifies them in one batch.

A proofread mostly copies the email, so the next tokens of the output are usually the tokens that
follow, in the prompt, the last few tokens the model wrote (prompt lookup). One llama.cpp batch
evaluates the last accepted token plus k drafted tokens and returns the model's argmax after each
of them: the drafted tokens are accepted up to the first disagreement, and the model's own token
at that point comes for free. Every emitted token is the model's argmax given the tokens before it,
so the output is greedy decoding's output; only the number of forward passes changes.

`copy_margin` > 0 is the one deliberate departure: a drafted (copied) token the model ranks within
that many logits of its favourite is kept. A proofreader's errors on correct text are near-ties it
resolves towards a rewrite (a comma, an article, a synonym); this trades a little recall for
precision, and was tuned on FCE dev and unused CWEB dev sentences (training/RESULTS.md). 0 = greedy.

Bit for bit: with flash attention and batches under 64 tokens, a verified position's logits equal a
single step's exactly (tested), with one exception. Once the cache view reaches 512 cells, llama.cpp
splits a *single* step's attention over the cache across threads and sums the parts in another
order. So this decoder runs its own single steps on one thread (one part, the same sums as a batch),
and its output is exactly greedy decoding computed with one attention kernel throughout: `max_draft=0`
is that reference (tested past 512 cells). Plain greedy on two threads can still resolve a near-tie
the other way (bench/NOTES.md, "Exact greedy").

Sampling (temperature > 0) drafts the same way: a drafted token is accepted with the probability the
model gives it, and on a rejection the token is drawn from the model's distribution without it
(speculative sampling with a draft that is certain, `speculative_pick`), so every token is distributed
exactly as plain sampling's, over the `SAMPLED_TOKENS` most likely ones.

Why this is faster here and llama-cpp-python's `LlamaPromptLookupDecoding` was not: that class
turns on `logits_all`, so every prompt token pays for the 262,144-row output layer and its logits
are copied into an n_ctx x n_vocab array. Here logits are requested only at the positions that are
verified, and the prompt costs what it costs in plain decoding. The output layer still dominates a
verify batch (see bench/RESULTS.md), which is why a batch with nothing to verify is never padded.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np


@dataclass
class DraftStats:
    """Counters of the last generation, for benchmarks (no text, only numbers)."""

    batches: int = 0
    drafted: int = 0
    accepted: int = 0
    prompt_tokens_evaluated: int = 0
    prompt_tokens_reused: int = 0
    batch_sizes: list[int] = field(default_factory=list)

    @property
    def acceptance(self) -> float:
        return self.accepted / self.drafted if self.drafted else 0.0


class PromptLookup:
    """Proposes the continuation of the source tokens after the longest recent n-gram match.

    `cursor` remembers where in the source the output currently is, so repeated phrases resolve
    to the occurrence nearest to where copying left off rather than the first one in the prompt.
    """

    def __init__(self, source: Sequence[int], max_ngram: int = 3) -> None:
        self.source = list(source)
        self.max_ngram = max_ngram
        self.cursor = 0
        self._index: dict[int, list[int]] = {}
        for position, token in enumerate(self.source):
            self._index.setdefault(token, []).append(position)

    def draft(self, history: Sequence[int], k: int) -> list[int]:
        if k <= 0 or not history:
            return []
        for n in range(min(self.max_ngram, len(history)), 0, -1):
            tail = list(history[-n:])
            best = None
            for start in self._index.get(tail[0], ()):
                if self.source[start : start + n] == tail and start + n < len(self.source):
                    # Prefer the match closest to (and preferably at or after) the cursor.
                    distance = abs(start + n - self.cursor) + (0 if start + n >= self.cursor else 1)
                    if best is None or distance < best[0]:
                        best = (distance, start + n)
            if best is not None:
                self.cursor = best[1]
                # A one-token match is a weak guess (common tokens repeat): draft only a little.
                return self.source[best[1] : best[1] + (k if n > 1 else min(k, 2))]
        return []

    def advance(self, accepted: int) -> None:
        self.cursor += accepted


# A verify batch stays under 64 tokens: from 64 queries on, llama.cpp's CPU flash attention switches to a
# tiled kernel that rounds differently from the one a single step uses (bench/NOTES.md, "Exact greedy").
MAX_VERIFY_BATCH = 63

# Sampling draws from this many of the most likely tokens: sorting all 262,144 of Gemma's per token would
# cost more than the forward pass, and at the temperatures the product uses (<= 2) the rest carry
# almost no probability.
SAMPLED_TOKENS = 1024


def sampling_probs(logits: np.ndarray, temperature: float, top_p: float) -> tuple[np.ndarray, np.ndarray]:
    """(token ids, their probabilities): softmax(logits / temperature) over the SAMPLED_TOKENS most
    likely tokens, cut to the smallest most-likely set holding `top_p` of it (nucleus sampling)."""
    ids = np.argpartition(logits, -SAMPLED_TOKENS)[-SAMPLED_TOKENS:] if logits.size > SAMPLED_TOKENS else np.arange(logits.size)
    ids = ids[np.argsort(-logits[ids], kind="stable")]
    z = logits[ids].astype(np.float64) / temperature
    probs = np.exp(z - z[0])
    probs /= probs.sum()
    if top_p < 1.0:
        keep = int(np.searchsorted(np.cumsum(probs), top_p)) + 1
        ids, probs = ids[:keep], probs[:keep] / probs[:keep].sum()
    return ids, probs


def speculative_pick(ids: np.ndarray, probs: np.ndarray, drafted: int | None, rng: np.random.Generator) -> int:
    """A token distributed exactly as `probs` over `ids`. A drafted token is accepted with its own
    probability p; otherwise the token is drawn from the rest, renormalised: P(drafted) = p and
    P(other x) = (1 - p) * p_x / (1 - p) = p_x. Accepting is what lets a verify batch go on."""
    if drafted is not None:
        where = np.flatnonzero(ids == drafted)
        p_drafted = float(probs[where[0]]) if where.size else 0.0
        if rng.random() < p_drafted:
            return drafted
        if where.size:
            probs = probs.copy()
            probs[where[0]] = 0.0
            if probs.sum() <= 0.0:
                return drafted
            probs /= probs.sum()
    return int(ids[rng.choice(len(ids), p=probs)])


class DraftVerifyDecoder:
    """Greedy (or sampling) token generator on one `llama_cpp.Llama`, sharing its KV cache bookkeeping
    (`input_ids` / `n_tokens`) so the plain path and this one can alternate on the same model."""

    # 48 was the fastest of 8-64 on 100-word emails (bench/NOTES.md); drafts shrink after a miss anyway.
    def __init__(self, llm, max_draft: int = 48, max_ngram: int = 3, copy_margin: float = 0.0) -> None:
        from backend.llama_runtime import load

        llama_cpp = self._lib = load()
        self.llm = llm
        self.max_draft = max_draft
        self.max_ngram = max_ngram
        self.copy_margin = copy_margin
        self.n_vocab = llm.n_vocab()
        self.n_batch = llm.n_batch
        self._batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self.stats = DraftStats()

    def close(self) -> None:
        if self._batch is not None:
            self._lib.llama_batch_free(self._batch)
            self._batch = None

    def __del__(self) -> None:  # pragma: no cover - interpreter shutdown order varies
        try:
            self.close()
        except Exception:
            pass

    # --- KV cache -------------------------------------------------------------------------------

    def _ctx(self):
        return self.llm.ctx

    def _truncate(self, n: int) -> None:
        """Forget every cached position >= n."""
        mem = self._lib.llama_get_memory(self._ctx())
        self._lib.llama_memory_seq_rm(mem, -1, n, -1)
        self.llm.n_tokens = n
        # The context's current logits no longer belong to the last cached token: make
        # Llama.generate replay one token instead of sampling from them.
        self.llm._requires_eval = True

    def _decode(self, tokens: Sequence[int], logits_from: int) -> None:
        """Appends `tokens` to the cache; logits are computed for tokens[logits_from:] only."""
        lib, batch = self._lib, self._batch
        n_past = self.llm.n_tokens
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = n_past + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = i >= logits_from
        code = lib.llama_decode(self._ctx(), batch)
        if code != 0:
            self._truncate(n_past)
            raise RuntimeError(f"llama_decode failed ({code})")
        self.llm.input_ids[n_past : n_past + len(tokens)] = tokens
        self.llm.n_tokens = n_past + len(tokens)
        self.stats.batch_sizes.append(len(tokens))

    def _logits(self, index: int) -> np.ndarray:
        pointer = self._lib.llama_get_logits_ith(self._ctx(), index)
        return np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(self.n_vocab,))

    def _pick(self, index: int, drafted: int | None, margin: float) -> int:
        """The model's argmax at batch position `index`, or the drafted token if it is within `margin`."""
        logits = self._logits(index)
        best = int(logits.argmax())
        if drafted is not None and best != drafted and logits[drafted] >= logits[best] - margin:
            return drafted
        return best

    # --- generation -----------------------------------------------------------------------------

    def tokens(self, prompt_ids: Sequence[int], max_tokens: int, copy_from: int | None = None,
               copy_margin: float | None = None, temperature: float = 0.0, top_p: float = 1.0,
               seed: int = 0) -> Iterator[int]:
        """Yields the greedy continuation of `prompt_ids` one token at a time, drafting from the
        prompt; `copy_from` is where in the prompt the text the output should copy starts (the
        email), used for the first draft and to start the lookup there; `copy_margin` replaces the
        decoder's own for this call. With `temperature` > 0 the tokens are sampled instead (nucleus
        `top_p`, reproducible from `seed`; the copy margin does not apply). The caller stops
        iterating at a stop token or its own limit; the cache then holds only verified tokens."""
        if temperature > 0:
            rng = np.random.default_rng(seed)

            def pick(index: int, drafted: int | None) -> int:
                ids, probs = sampling_probs(self._logits(index), temperature, top_p)
                return speculative_pick(ids, probs, drafted, rng)
        else:
            margin = self.copy_margin if copy_margin is None else copy_margin

            def pick(index: int, drafted: int | None) -> int:
                return self._pick(index, drafted if margin > 0 else None, margin)
        self.stats = DraftStats()
        ctx, params = self._ctx(), self.llm.context_params
        self._lib.llama_set_n_threads(ctx, 1, params.n_threads_batch)  # single steps: see the module docstring
        try:
            yield from self._tokens(list(prompt_ids), max_tokens, copy_from, pick)
        finally:
            self._lib.llama_set_n_threads(ctx, params.n_threads, params.n_threads_batch)

    def _tokens(self, prompt_ids: list[int], max_tokens: int, copy_from: int | None, pick) -> Iterator[int]:
        lookup = PromptLookup(prompt_ids, self.max_ngram)
        lookup.cursor = copy_from or 0

        # Reuse the longest cached prefix (the fixed instruction); at least one token is evaluated
        # so that there are logits to start from.
        cached = self.llm.input_ids[: self.llm.n_tokens].tolist()
        common = 0
        for a, b in zip(cached, prompt_ids):
            if a != b:
                break
            common += 1
        common = min(common, len(prompt_ids) - 1)
        self._truncate(common)
        self.stats.prompt_tokens_reused = common
        pending = prompt_ids[common:]
        self.stats.prompt_tokens_evaluated = len(pending)

        # The prompt is evaluated alone, exactly as plain greedy evaluates it: drafting the email's
        # first tokens in the same batch was ~40 ms cheaper but changed the kernels' rounding of the
        # first token's logits enough to flip a near-tie ("Please send" vs "Send", bench/NOTES.md).
        while len(pending) > self.n_batch:
            self._decode(pending[: self.n_batch], logits_from=self.n_batch)
            pending = pending[self.n_batch :]
        draft: list[int] = []
        generated: list[int] = []
        k = self.max_draft
        while True:
            # `pending` = tokens not yet in the cache: the rest of the prompt or the last model token.
            batch = pending + draft
            self._decode(batch, logits_from=len(pending) - 1)
            self.stats.batches += 1
            self.stats.drafted += len(draft)
            base = len(pending) - 1
            accepted = 0
            for i in range(len(draft) + 1):
                token = pick(base + i, draft[i] if i < len(draft) else None)
                generated.append(token)
                yield token
                if len(generated) >= max_tokens:
                    return
                if i < len(draft) and draft[i] == token:
                    accepted += 1
                    continue
                break
            self.stats.accepted += accepted
            # Drop the rejected draft tokens from the cache; the last emitted token is not in it yet.
            keep = self.llm.n_tokens - (len(draft) - accepted)
            if keep != self.llm.n_tokens:
                self._truncate(keep)
            else:
                self.llm._requires_eval = True
            lookup.advance(accepted)
            # Fewer drafted tokens after a miss (edits cluster), more after a full acceptance.
            if draft:
                k = min(self.max_draft, k * 2) if accepted == len(draft) else max(1, accepted)
            room = min(k, max_tokens - len(generated) - 1, MAX_VERIFY_BATCH - 1)
            pending = [generated[-1]]
            draft = lookup.draft(generated, room) if room > 0 else []
