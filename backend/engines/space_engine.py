"""Delegate proofreading to a Gradio Space (`--engine space --space URL_OR_OWNER/NAME`).

`SpaceProofreader` is a `Proofreader` (backend/types.py) and returns the same `Result` / `Scores`
shapes, so nothing above the core knows where the model runs. The Space's API is documented in
docs/API.md.
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Any, Callable
from urllib.parse import urlparse

from backend.config import Settings
from backend.input_checks import InputError, check_input
from backend.scoring import Scores
from backend.types import Cancelled, ModelInfo, Options, Result, TokenCallback

# The Space puts the InputError code in the error title: "Cannot proofread this draft (empty)".
_ERROR_CODE = re.compile(r"\((\w+)\)\s*$")
_POLL_SECONDS = 0.1


def _hf_token_policy(space: str) -> None | bool:
    """None = let gradio_client send the saved Hugging Face token (needed for private Spaces);
    False = send none. gradio_client would otherwise send it to any URL, even a self-hosted one."""
    if "://" not in space:
        return None  # OWNER/NAME: resolved on huggingface.co
    host = urlparse(space).hostname or ""
    return None if host.endswith(".hf.space") else False


class SpaceError(RuntimeError):
    """The Space could not be reached or failed (not a problem with the draft)."""


class SpaceProofreader:
    def __init__(self, settings: Settings | None = None, client: Any = None) -> None:
        self.settings = settings or Settings()
        if not self.settings.space and client is None:
            raise ValueError("engine=space needs a Space: set --space URL_OR_OWNER/NAME (PROOFREAD_SPACE).")
        self.space = self.settings.space or ""
        self._client = client
        self._connect_lock = threading.Lock()

    @property
    def model_info(self) -> ModelInfo:
        return ModelInfo(engine="space", base=self.space, adapter=None, chat_format="remote")

    def connect(self) -> Any:
        """The gradio_client Client, created on first use so a sleeping Space does not block start-up."""
        with self._connect_lock:
            if self._client is None:
                # gradio_client sends a telemetry ping (with the Space address) unless this is "False";
                # its analytics_enabled=False argument alone does not turn it off.
                os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
                from gradio_client import Client

                try:
                    self._client = Client(self.space, verbose=False, analytics_enabled=False,
                                          token=_hf_token_policy(self.space))
                except Exception as error:  # noqa: BLE001 - network, DNS, 404, Space asleep...
                    raise SpaceError(f"Cannot reach the Space {self.space!r}: {error}") from error
            return self._client

    def score(self, text: str) -> Scores:
        check_input(text, self.settings.max_input_chars)
        return Scores.model_validate(self._call("/score", None, email=text))

    def proofread(
        self,
        text: str,
        options: Options | None = None,
        on_token: TokenCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Result:
        """The Space's API answers in one piece, so `on_token` receives the whole correction once,
        when it arrives."""
        options = options or Options()
        check_input(text, self.settings.max_input_chars)
        started = time.perf_counter()
        payload = self._call(
            "/proofread",
            cancelled,
            email=text,
            temperature=options.temperature,
            top_p=options.top_p,
            max_tokens=options.max_tokens or 0,
        )
        result = Result.model_validate(payload)
        # Keep the Space's own timings (they describe the model run) but report the round trip too.
        result.timings.total_ms = max(result.timings.total_ms, (time.perf_counter() - started) * 1000)
        result.model = ModelInfo(
            engine="space",
            base=self.space,
            adapter=result.model.adapter,
            chat_format=result.model.chat_format,
        )
        if on_token is not None and result.corrected:
            on_token(result.corrected)
        return result

    def _call(self, api_name: str, cancelled: Callable[[], bool] | None, **arguments: Any) -> Any:
        from gradio_client.exceptions import AppError

        client = self.connect()
        job = client.submit(api_name=api_name, **arguments)
        try:
            while not job.done():
                if cancelled is not None and cancelled():
                    job.cancel()
                    raise Cancelled()
                time.sleep(_POLL_SECONDS)
            return job.result()
        except AppError as error:
            match = _ERROR_CODE.search(getattr(error, "title", "") or "")
            if match:
                raise InputError(match.group(1), error.message) from None
            raise SpaceError(f"The Space {self.space!r} failed: {error.message}") from None
        except (Cancelled, InputError):
            raise
        except Exception as error:  # noqa: BLE001 - transport errors surface as one clear type
            raise SpaceError(f"The Space {self.space!r} failed: {error}") from error
