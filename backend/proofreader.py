"""The proofreading pipeline on the local model: score -> prompt -> generate -> guard -> soften (an email
labelled rude: backend/softening.py) -> re-score.

Knows nothing about HTTP; the API, CLI, Space and evaluation all call `proofread` through the
`Proofreader` protocol (backend/types.py), built by backend/factory.py.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable

from backend import prompts
from backend.chunking import join_chunks, keep_line_breaks, lines, split_into_chunks, strip_line_ends
from backend.config import Settings
from backend.diff import word_diff
from backend.engines.llama_engine import LlamaEngine
from backend.guards import RunawayCheck, clean_output, refusal, rejection_reason
from backend.input_checks import check_input, unchanged_reason
from backend.model_files import base_model_path
from backend.scoring import Scorer, Scores
from backend.shorthand import keep_shorthand
from backend.softening import soften
from backend.types import Fallback, ModelInfo, Options, Result, Timings, TokenCallback


def default_max_tokens(input_tokens: int) -> int:
    """Room for a rewrite a little longer than the draft (a tone fix adds words), never unbounded."""
    return int(input_tokens * 1.5) + 24


def softened_rewrite(draft: str, rewrite: str) -> str:
    """`rewrite` of a rude `draft` with the softening rules applied, if the guards accept that as a rewrite
    of the draft. Only an email of several lines is thanked: a thanks after a lone sentence is out of place."""
    softened = soften(rewrite, thank=len(lines(draft)) > 1)
    return softened if softened != rewrite and rejection_reason(draft, softened) is None else rewrite


def finish_result(text: str, corrected: str, scores_before: Scores, scorer, fallbacks: list[Fallback],
                  warnings: list[str], model: ModelInfo, timings: Timings, started: float,
                  scores_after: Scores | None = None) -> Result:
    """The Result of a proofread that began at `started` (perf_counter): the diff, the correction
    re-scored (only when it changed, and unless the caller scored it already: `scores_after`), and the scoring
    and total times added to `timings`."""
    changed = corrected != text
    if scores_after is None:
        rescore_start = time.perf_counter()
        scores_after = scorer.score(corrected) if changed else scores_before
        timings.score_ms += (time.perf_counter() - rescore_start) * 1000
    timings.total_ms = (time.perf_counter() - started) * 1000
    return Result(
        original=text,
        corrected=corrected,
        changed=changed,
        diff=word_diff(text, corrected),
        scores_before=scores_before,
        scores_after=scores_after,
        fallbacks=fallbacks,
        warnings=warnings,
        model=model,
        timings=timings,
    )


class LlamaProofreader:
    """A `Proofreader` (backend/types.py) on a llama.cpp model. `engine` and `scorer` default to the
    ones `settings` describe; tests pass stand-ins."""

    def __init__(self, settings: Settings | None = None, engine: LlamaEngine | None = None, scorer: Scorer | None = None):
        self.settings = settings or Settings()
        self.scorer = scorer or Scorer(settings=self.settings)
        self.engine = engine or LlamaEngine(
            model_path=self.settings.model_path or base_model_path(self.settings.base),
            adapter_path=self.settings.resolved_adapter(),
            merge_adapter=self.settings.merge_adapter,
            cache_dir=self.settings.cache_dir,
            chat_format=self.settings.resolved_chat_format(),
            n_ctx=self.settings.n_ctx,
            n_threads=self.settings.n_threads,
            decoding=self.settings.decoding,
            copy_margin=self.settings.copy_margin,
        )

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

        scores_after = None  # scored here only when a tone retry already scored the chosen rewrite
        skip = unchanged_reason(text)
        if skip:
            corrected = text
            if on_token is not None:
                on_token(text)  # streamed text is always the result's `corrected`, here the draft itself
            fallbacks, warnings = [skip], [skip.text]
        else:
            deadline = time.perf_counter() + self.settings.max_generate_seconds  # shared by the retries
            retry = self._may_retry(scores_before, options)
            soften_after = self.settings.tone_rules and scores_before.politeness.label == "rude"
            # A rewrite that a retry or the rules may replace is streamed once final, so a client never shows a discarded one.
            hold = retry or soften_after
            rewrite = self._rewrite(text, scores_before, options, timings, None if hold else on_token, cancelled, deadline)
            if retry:
                rewrite, scores_after = self._politest(text, scores_before, rewrite, options, timings, cancelled, deadline)
            if soften_after:
                softened = softened_rewrite(text, rewrite.text)
                if softened != rewrite.text:
                    rewrite, scores_after = replace(rewrite, text=softened), None
            if hold and on_token is not None:
                on_token(rewrite.text)
            corrected, fallbacks = rewrite.text, list(rewrite.kept)
            warnings = [self._kept_warning(reason, count, rewrite.parts) for reason, count in rewrite.kept.items()]
        return finish_result(text, corrected, scores_before, self.scorer, fallbacks, warnings, self.model_info,
                             timings, started, scores_after)

    def _may_retry(self, scores: Scores, options: Options) -> bool:
        # Only the tone note's rewrite is retried: a proofread that copies the draft is a fine answer to a
        # polite one. A caller who asked for sampling gets their own sample.
        return self.settings.tone_retries > 0 and options.temperature == 0 and scores.politeness.label == "rude"

    def _politest(self, text: str, before: Scores, first: "_Rewrite", options: Options, timings: Timings,
                  cancelled, deadline: float) -> tuple["_Rewrite", Scores]:
        """`first`, the rewrite of an email labelled rude, unless it did not soften it (no politer by the
        scorer, or still rude): then the politest of it and up to `tone_retries` sampled rewrites. With the
        chosen one's scores, which the result reuses."""
        def scored(candidate: str) -> Scores:
            scoring_start = time.perf_counter()
            scores = self.scorer.score(candidate) if candidate != text else before
            timings.score_ms += (time.perf_counter() - scoring_start) * 1000
            return scores

        best, best_scores = first, scored(first.text)
        sampled = Options(temperature=self.settings.tone_retry_temperature, top_p=self.settings.tone_retry_top_p,
                          max_tokens=options.max_tokens)
        for seed in range(1, self.settings.tone_retries + 1):
            best_score = best_scores.politeness
            if (best_score.label != "rude" and best_score.value > before.politeness.value) or time.perf_counter() >= deadline:
                break
            attempt = self._rewrite(text, before, sampled.model_copy(update={"seed": seed}), timings, None, cancelled, deadline)
            if Fallback.OUT_OF_TIME in attempt.kept:
                break  # a part was left unproofread for want of time: not a whole answer, and no time for another
            scores = scored(attempt.text)
            if scores.politeness.value > best_score.value:
                best, best_scores = attempt, scores
        return best, best_scores

    def _rewrite(self, text, scores, options, timings, on_token, cancelled, deadline) -> "_Rewrite":
        """The accepted rewrite of `text`, how many parts it was proofread in and why parts were kept."""
        # The model was trained on stripped emails with "\n" line ends: give it that, restore the rest.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        crlf = "\r\n" in core
        chunks = split_into_chunks(core.replace("\r\n", "\n"), self.settings.chunk_words)
        kept: Counter[Fallback] = Counter()  # why parts were kept unchanged: one warning per reason, not per part

        def emit(piece: str) -> None:
            # Only text the guards accepted is streamed, so a client never shows a rejected rewrite:
            # the pieces joined are exactly the result's `corrected`.
            if on_token is not None and piece:
                on_token(piece.replace("\n", "\r\n") if crlf else piece)

        if on_token is not None and lead:
            on_token(lead)
        outputs: list[str] = []
        for index, chunk in enumerate(chunks):
            output, reason = self._rewrite_chunk(chunk.text, scores, options, timings, cancelled, deadline)
            if reason == Fallback.OUT_OF_TIME:
                rest = chunks[index:]
                outputs += [c.text for c in rest]
                emit(join_chunks([c.text for c in rest], rest))
                kept[Fallback.OUT_OF_TIME] = len(rest)
                break
            if reason:
                kept[reason] += 1
            outputs.append(output)
            emit(output + chunk.separator)
        if on_token is not None and trail:
            on_token(trail)
        corrected = join_chunks(outputs, chunks)
        return _Rewrite(lead + (corrected.replace("\n", "\r\n") if crlf else corrected) + trail, len(chunks), kept)

    def _kept_warning(self, reason: Fallback, count: int, total: int) -> str:
        if reason == Fallback.OUT_OF_TIME:
            return (
                f"Kept the rest of your draft unchanged ({count} of {total} parts): proofreading stops after "
                f"{self.settings.max_generate_seconds:g} s per request. Proofread the rest separately for a full check."
            )
        where = "" if total == 1 else f" in {count} of {total} parts"
        return f"Kept your original text{where}: {reason.text}."

    def _rewrite_chunk(self, chunk, scores, options, timings, cancelled, deadline) -> tuple[str, Fallback | None]:
        """The chunk's accepted rewrite and None, or the chunk itself and why it was kept."""
        chat_format = self.engine.chat_format
        # Blanks at line ends (pasted or markdown-style line breaks) were never in training: the model mostly
        # copies such text. It sees the lines without them; keep_line_breaks restores the draft's own.
        lines_only = strip_line_ends(chunk)
        prompt = prompts.render_prompt(prompts.messages(lines_only, scores, few_shot=self.settings.few_shot), chat_format)
        longest = default_max_tokens(self.engine.count_tokens(lines_only))
        if self.engine.context_room(prompt, lines_only) < longest:
            return chunk, Fallback.TOO_LONG_FOR_CONTEXT
        if time.perf_counter() >= deadline:
            return chunk, Fallback.OUT_OF_TIME
        watch = _ChunkWatch(lines_only, deadline)
        generation = self.engine.generate(
            prompt,
            max_tokens=options.max_tokens or longest,
            temperature=options.temperature,
            top_p=options.top_p,
            seed=options.seed,
            cancelled=cancelled,
            email=lines_only,
            stop_when=watch,
            # The copy margin keeps proofreading from needless edits; a rewrite the tone note asks for
            # is the opposite, so a rude email is decoded without it.
            copy_margin=0.0 if scores.politeness.label == "rude" else None,
        )
        timings.generate_ms += generation.prompt_ms + generation.generate_ms
        timings.prompt_tokens += generation.prompt_tokens
        timings.generated_tokens += generation.generated_tokens
        if watch.out_of_time:
            return chunk, Fallback.OUT_OF_TIME

        candidate = clean_output(generation.text)
        reason = refusal(chunk, candidate, generation.finish_reason)
        if reason:
            return chunk, reason
        return keep_shorthand(chunk, keep_line_breaks(chunk, candidate)), None


@dataclass
class _Rewrite:
    text: str
    parts: int
    kept: Counter[Fallback]  # why parts were kept unchanged, with how many


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
