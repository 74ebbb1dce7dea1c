"""Harper (harper.js, rule-based, Apache-2.0) as a `Proofreader` (backend/types.py), so evaluation
treats it like a model: `build_proofreader(Settings(engine="harper"))`. One Node process serves
every text, one JSON line each way, so per-text timing is real. Its `Result` is scored with the
backend's classifiers like any other; `timings.generate_ms` is harper.js's time, and no tokens.

Setup once: `npm ci --prefix training/baselines/harper` (make test does it)."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Callable

from backend.config import Settings
from backend.input_checks import check_input
from backend.proofreader import finish_result
from backend.scoring import Scorer, Scores
from backend.types import Cancelled, ModelInfo, Options, Result, Timings, TokenCallback

SCRIPT = Path(__file__).resolve().parent / "harper" / "harper_correct.mjs"


class HarperProofreader:
    def __init__(self, settings: Settings | None = None, scorer: Scorer | None = None) -> None:
        if not (SCRIPT.parent / "node_modules" / "harper.js").exists():
            raise FileNotFoundError("harper.js is not installed: npm ci --prefix training/baselines/harper")
        self.settings = settings or Settings(engine="harper")
        self.scorer = scorer or Scorer(settings=self.settings)
        self._node = subprocess.Popen(
            ["node", str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    @property
    def model_info(self) -> ModelInfo:
        return ModelInfo(engine="harper.js", base="harper", chat_format="none")

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
        """Applies harper.js's first suggestion per lint; `options` do not apply to rules."""
        started = time.perf_counter()
        check_input(text, self.settings.max_input_chars)
        scores_before = self.scorer.score(text)
        timings = Timings(score_ms=(time.perf_counter() - started) * 1000)
        if cancelled is not None and cancelled():
            raise Cancelled()
        corrected, timings.generate_ms = self._correct(text)
        if on_token is not None and corrected:
            on_token(corrected)
        return finish_result(text, corrected, scores_before, self.scorer, [], [], self.model_info, timings, started)

    def _correct(self, text: str) -> tuple[str, float]:
        """(harper.js's correction, milliseconds it took)."""
        started = time.perf_counter()
        self._node.stdin.write(json.dumps({"id": 0, "text": text}) + "\n")
        self._node.stdin.flush()
        line = self._node.stdout.readline()
        if not line:
            raise RuntimeError("the harper.js process exited")
        return json.loads(line)["output"], (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self._node.stdin.close()
        self._node.wait(timeout=30)
