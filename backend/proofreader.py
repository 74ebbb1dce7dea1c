"""The proofreading pipeline: score -> prompt -> generate -> guard -> re-score.

Knows nothing about HTTP; the API, CLI, Space and evaluation all call `Proofreader.proofread`.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Callable

from backend import prompts
from backend.chunking import join_chunks, keep_line_breaks, split_into_chunks
from backend.config import Settings
from backend.diff import word_diff
from backend.engines.llama_engine import LlamaEngine
from backend.guards import RunawayCheck, clean_output, rejection_reason
from backend.input_checks import check_input, unchanged_reason
from backend.model_files import base_model_path
from backend.scoring import Scorer, Scores
from backend.types import ModelInfo, Options, Result, Timings

TokenCallback = Callable[[str], None]


def default_max_tokens(input_tokens: int) -> int:
    """Room for a rewrite a little longer than the draft (a tone fix adds words), never unbounded."""
    return int(input_tokens * 1.5) + 24


class Proofreader:
    def __init__(self, settings: Settings | None = None, engine: LlamaEngine | None = None, scorer: Scorer | None = None):
        self.settings = settings or Settings()
        self.scorer = scorer or Scorer()
        self.engine = engine or LlamaEngine(
            model_path=self.settings.model_path or base_model_path(self.settings.base),
            adapter_path=self.settings.resolved_adapter(),
            merge_adapter=self.settings.merge_adapter,
            cache_dir=self.settings.cache_dir,
            chat_format=self.settings.resolved_chat_format(),
            n_ctx=self.settings.n_ctx,
            n_threads=self.settings.n_threads,
            decoding=self.settings.decoding,
        )
        self.few_shot = False  # evaluation of a base model that was never fine-tuned turns this on

    @property
    def model_info(self) -> ModelInfo:
        return ModelInfo(
            engine="llama.cpp",
            base=self.engine.model_path.name,
            adapter=self.engine.adapter_path.name if self.engine.adapter_path else None,
            adapter_merged=self.engine.adapter_merged,
            chat_format=self.engine.chat_format,
        )

    def score(self, text: str) -> Scores:
        check_input(text, self.settings.max_input_chars)
        return self.scorer.score(text)

    def proofread(
        self,
        text: str,
        options: Options | None = None,
        on_token: TokenCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Result:
        options = options or Options()
        started = time.perf_counter()
        check_input(text, self.settings.max_input_chars)
        scores_before = self.scorer.score(text)
        timings = Timings(score_ms=(time.perf_counter() - started) * 1000)
        warnings: list[str] = []

        skip = unchanged_reason(text)
        if skip:
            warnings.append(skip)
            corrected = text
            if on_token is not None:
                on_token(text)  # streamed text is always the result's `corrected`, here the draft itself
        else:
            corrected = self._rewrite(text, scores_before, options, timings, warnings, on_token, cancelled)

        changed = corrected != text
        rescore_start = time.perf_counter()
        scores_after = self.scorer.score(corrected) if changed else scores_before
        timings.score_ms += (time.perf_counter() - rescore_start) * 1000
        timings.total_ms = (time.perf_counter() - started) * 1000
        return Result(
            original=text,
            corrected=corrected,
            changed=changed,
            diff=word_diff(text, corrected),
            scores_before=scores_before,
            scores_after=scores_after,
            warnings=warnings,
            model=self.model_info,
            timings=timings,
        )

    def _rewrite(self, text, scores, options, timings, warnings, on_token, cancelled) -> str:
        # The model was trained on stripped emails with "\n" line ends: give it that, restore the rest.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        crlf = "\r\n" in core
        chunks = split_into_chunks(core.replace("\r\n", "\n"), self.settings.chunk_words)
        deadline = time.perf_counter() + self.settings.max_generate_seconds

        def emit(piece: str) -> None:
            # Only text the guards accepted is streamed, so a client never shows a rejected rewrite:
            # the pieces joined are exactly the result's `corrected`.
            if on_token is not None and piece:
                on_token(piece.replace("\n", "\r\n") if crlf else piece)

        if on_token is not None and lead:
            on_token(lead)
        outputs: list[str] = []
        kept: Counter[str] = Counter()  # why chunks were kept unchanged: one warning per reason, not per chunk
        for index, chunk in enumerate(chunks):
            output, reason = self._rewrite_chunk(chunk.text, scores, options, timings, cancelled, deadline)
            if reason == _OUT_OF_TIME:
                rest = chunks[index:]
                outputs += [c.text for c in rest]
                emit(join_chunks([c.text for c in rest], rest))
                kept[_OUT_OF_TIME] = len(rest)
                break
            if reason:
                kept[reason] += 1
            outputs.append(output)
            emit(output + chunk.separator)
        if on_token is not None and trail:
            on_token(trail)
        warnings += [self._kept_warning(reason, count, len(chunks)) for reason, count in kept.items()]
        corrected = join_chunks(outputs, chunks)
        return lead + (corrected.replace("\n", "\r\n") if crlf else corrected) + trail

    def _kept_warning(self, reason: str, count: int, total: int) -> str:
        if reason == _OUT_OF_TIME:
            return (
                f"Kept the rest of your draft unchanged ({count} of {total} parts): proofreading stops after "
                f"{self.settings.max_generate_seconds:g} s per request. Proofread the rest separately for a full check."
            )
        where = "" if total == 1 else f" in {count} of {total} parts"
        return f"Kept your original text{where}: {reason}."

    def _rewrite_chunk(self, chunk, scores, options, timings, cancelled, deadline) -> tuple[str, str | None]:
        """The chunk's accepted rewrite and None, or the chunk itself and why it was kept."""
        chat_format = self.engine.chat_format
        prompt = prompts.render_prompt(prompts.messages(chunk, scores, few_shot=self.few_shot), chat_format)
        longest = default_max_tokens(self.engine.count_tokens(chunk))
        if self.engine.context_room(prompt, chunk) < longest:
            return chunk, "a part is too long for the model to read at once (a long link or text without spaces)"
        if time.perf_counter() >= deadline:
            return chunk, _OUT_OF_TIME
        watch = _ChunkWatch(chunk, deadline)
        generation = self.engine.generate(
            prompt,
            max_tokens=options.max_tokens or longest,
            temperature=options.temperature,
            top_p=options.top_p,
            seed=options.seed,
            cancelled=cancelled,
            email=chunk,
            stop_when=watch,
        )
        timings.generate_ms += generation.prompt_ms + generation.generate_ms
        timings.prompt_tokens += generation.prompt_tokens
        timings.generated_tokens += generation.generated_tokens
        if watch.out_of_time:
            return chunk, _OUT_OF_TIME

        candidate = clean_output(generation.text)
        # A rewrite cut off at the token limit fails other guards too (missing lines); its cause is the limit.
        reason = None if generation.finish_reason == "length" else rejection_reason(chunk, candidate)
        if generation.finish_reason != "stop" and reason is None:
            reason = "the rewrite was cut off at the token limit"
        if reason:
            return chunk, reason
        return keep_line_breaks(chunk, candidate), None


# Not a guard's verdict: the request's generation time ran out before this chunk was done.
_OUT_OF_TIME = "out of time"


class _ChunkWatch:
    """Ends a chunk's generation as soon as the guards would reject it whatever comes next (it runs far
    past the draft or repeats itself), or when the request's time is up: a degenerate rewrite costs a few
    words, not the whole token limit."""

    def __init__(self, chunk: str, deadline: float) -> None:
        self.runaway = RunawayCheck(chunk)
        self.deadline = deadline
        self.pieces: list[str] = []
        self.out_of_time = False

    def __call__(self, piece: str) -> bool:
        self.pieces.append(piece)
        if time.perf_counter() >= self.deadline:
            self.out_of_time = True
            return True
        # Words are complete at whitespace; the output is checked as the final guard will see it.
        if not any(ch.isspace() for ch in piece):
            return False
        return self.runaway.reason(clean_output("".join(self.pieces))) is not None
