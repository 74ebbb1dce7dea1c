"""The proofreading pipeline on the local model: score -> prompt -> generate -> guard -> re-score.

Knows nothing about HTTP; the API, CLI, Space and evaluation all call `proofread` through the
`Proofreader` protocol (backend/types.py), built by backend/factory.py.
"""

from __future__ import annotations

import time
from typing import Callable

from backend import prompts
from backend.chunking import join_chunks, split_into_chunks
from backend.config import Settings
from backend.diff import word_diff
from backend.engines.llama_engine import LlamaEngine
from backend.guards import clean_output, refusal
from backend.input_checks import check_input, unchanged_reason
from backend.model_files import base_model_path
from backend.scoring import Scorer, Scores
from backend.types import Fallback, ModelInfo, Options, Result, Timings, TokenCallback


def default_max_tokens(input_tokens: int) -> int:
    """Room for a rewrite a little longer than the draft (a tone fix adds words), never unbounded."""
    return int(input_tokens * 1.5) + 24


def finish_result(text: str, corrected: str, scores_before: Scores, scorer, fallbacks: list[Fallback],
                  model: ModelInfo, timings: Timings, started: float) -> Result:
    """The Result of a proofread that began at `started` (perf_counter): the diff, the correction
    re-scored (only when it changed), and the scoring and total times added to `timings`."""
    changed = corrected != text
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
        fallbacks: list[Fallback] = []

        skip = unchanged_reason(text)
        if skip:
            fallbacks.append(skip)
            corrected = text
        else:
            corrected = self._rewrite(text, scores_before, options, timings, fallbacks, on_token, cancelled)

        return finish_result(text, corrected, scores_before, self.scorer, fallbacks, self.model_info, timings, started)

    def _rewrite(self, text, scores, options, timings, fallbacks, on_token, cancelled) -> str:
        # The model was trained on stripped emails with "\n" line ends: give it that, restore the rest.
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        crlf = "\r\n" in core
        chunks = split_into_chunks(core.replace("\r\n", "\n"), self.settings.chunk_words)
        outputs = []
        for index, chunk in enumerate(chunks):
            outputs.append(self._rewrite_chunk(chunk.text, scores, options, timings, fallbacks, on_token, cancelled))
            if on_token is not None and chunk.separator and index < len(chunks) - 1:
                on_token(chunk.separator)
        corrected = join_chunks(outputs, chunks)
        return lead + (corrected.replace("\n", "\r\n") if crlf else corrected) + trail

    def _rewrite_chunk(self, chunk, scores, options, timings, fallbacks, on_token, cancelled) -> str:
        chat_format = self.engine.chat_format
        prompt = prompts.render_prompt(prompts.messages(chunk, scores, few_shot=self.settings.few_shot), chat_format)
        max_tokens = options.max_tokens or default_max_tokens(self.engine.count_tokens(chunk))
        generation = self.engine.generate(
            prompt,
            max_tokens=max_tokens,
            temperature=options.temperature,
            top_p=options.top_p,
            seed=options.seed,
            on_token=on_token,
            cancelled=cancelled,
            email=chunk,
        )
        timings.generate_ms += generation.prompt_ms + generation.generate_ms
        timings.prompt_tokens += generation.prompt_tokens
        timings.generated_tokens += generation.generated_tokens

        candidate = clean_output(generation.text)
        reason = refusal(chunk, candidate, generation.finish_reason)
        if reason:
            fallbacks.append(reason)
            return chunk
        return candidate
