"""Greedy (or sampled) generation from a GGUF model through llama-cpp-python, token by token,
stopping on the chat format's end-of-turn token."""

from __future__ import annotations

import codecs
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from backend.prompts import stop_marker
from backend.types import Cancelled


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    generated_tokens: int
    prompt_ms: float
    generate_ms: float
    finish_reason: str  # "stop", "length", or "stopped" (the caller's stop_when said so)


class LlamaEngine:
    """One llama.cpp model. Not thread-safe: callers serialise access (the API uses one worker)."""

    def __init__(
        self,
        model_path: Path,
        adapter_path: Path | None,
        chat_format: str,
        n_ctx: int,
        n_threads: int,
        decoding: str = "greedy",
        copy_margin: float = 0.0,
        merge_adapter: bool = False,
        cache_dir: Path | None = None,
    ):
        from backend.llama_runtime import load

        Llama = load().Llama

        self.model_path = Path(model_path)
        self.adapter_path = Path(adapter_path) if adapter_path else None
        self.adapter_merged = bool(self.adapter_path and merge_adapter)
        self.chat_format = chat_format
        load_path, runtime_adapter = self.model_path, self.adapter_path
        if self.adapter_merged:
            from backend.adapter_merge import merged_model_path

            if cache_dir is None:
                raise ValueError("merging an adapter needs a cache_dir")
            load_path, runtime_adapter = merged_model_path(self.model_path, self.adapter_path, cache_dir), None
        self.llm = Llama(
            model_path=str(load_path),
            lora_path=str(runtime_adapter) if runtime_adapter else None,
            n_ctx=n_ctx,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            n_batch=512,
            # With flash attention, one query and a batch of up to 63 go through the same attention kernel,
            # so draft_verify's batched logits equal single steps' bit for bit (without it they differ by
            # up to ~0.7; draft_verify.py has the one exception, bench/NOTES.md "Exact greedy" the numbers).
            flash_attn=True,
            seed=0,
            verbose=False,
        )
        marker = self.llm.tokenize(stop_marker(chat_format).encode(), add_bos=False, special=True)
        self.stop_ids = {self.llm.token_eos(), *([marker[0]] if len(marker) == 1 else [])}
        # "draft_verify": decoding that verifies tokens drafted from the email in one batch
        # (backend/engines/draft_verify.py): greedy's tokens when copy_margin is 0, sampling's distribution at temperature > 0.
        self.decoding = decoding
        self.copy_margin = copy_margin
        self._draft_verify = None

    def tokenize_prompt(self, prompt: str, email: str | None) -> tuple[list[int], int | None]:
        """Token ids of the prompt, and where the email's tokens start. Only the chat markup may
        become control tokens: a draft containing "<end_of_turn>" cannot close the user's turn."""
        if not email or email not in prompt:
            return self.llm.tokenize(prompt.encode(), add_bos=True, special=True), None
        before, _, after = prompt.rpartition(email)
        head = self.llm.tokenize(before.encode(), add_bos=True, special=True)
        body = self.llm.tokenize(email.encode(), add_bos=False, special=False)
        tail = self.llm.tokenize(after.encode(), add_bos=False, special=True)
        return head + body + tail, len(head)

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode(), add_bos=False, special=False))

    def context_room(self, prompt: str, email: str | None = None) -> int:
        """Tokens left in the context window for the reply to `prompt` (negative: it does not fit)."""
        return self.llm.n_ctx() - len(self.tokenize_prompt(prompt, email)[0])

    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int = 0,
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        email: str | None = None,
        stop_when: Callable[[str], bool] | None = None,
        copy_margin: float | None = None,
    ) -> Generation:
        """`email`: the user's text inside `prompt`. It is tokenized as plain text, and draft_verify
        drafts from it (the output mostly copies it). `stop_when` sees each decoded piece, like
        `on_token`, and ends the generation early by returning True (finish_reason "stopped").
        `copy_margin`: draft_verify's for this call (None: the engine's)."""
        prompt_ids, email_start = self.tokenize_prompt(prompt, email)
        room = self.llm.n_ctx() - len(prompt_ids)
        if room < 8:
            raise ValueError("prompt does not fit the context window")
        max_tokens = min(max_tokens, room)
        self.llm.set_seed(seed)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        out_ids: list[int] = []
        pieces: list[str] = []
        finish_reason = "length"
        start = time.perf_counter()
        first_token_at = None
        # Both paths reuse the KV cache for the longest common prefix with the previous prompt,
        # so the fixed instruction is only evaluated once per process.
        if self.decoding == "draft_verify":
            tokens = self._draft_verifier().tokens(prompt_ids, max_tokens, copy_from=email_start, copy_margin=copy_margin,
                                                   temperature=temperature, top_p=top_p, seed=seed)
        else:
            tokens = self.llm.generate(
                prompt_ids, temp=temperature, top_p=top_p, top_k=0 if temperature > 0 else 40, min_p=0.0,
                repeat_penalty=1.0, reset=True,
            )
        try:
            for token in tokens:
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if token in self.stop_ids:
                    finish_reason = "stop"
                    break
                piece = decoder.decode(self.llm.detokenize([token], prev_tokens=prompt_ids + out_ids))
                out_ids.append(token)
                if piece:
                    pieces.append(piece)
                    if on_token is not None:
                        on_token(piece)
                    if stop_when is not None and stop_when(piece):
                        finish_reason = "stopped"
                        break
                if len(out_ids) >= max_tokens:
                    break
        finally:
            tokens.close()  # ends the generator now (and restores draft_verify's thread setting), not at garbage collection
        tail = decoder.decode(b"", final=True)
        if tail:
            pieces.append(tail)
        end = time.perf_counter()
        first_token_at = first_token_at or end
        return Generation(
            text="".join(pieces),
            prompt_tokens=len(prompt_ids),
            generated_tokens=len(out_ids),
            prompt_ms=(first_token_at - start) * 1000,
            generate_ms=(end - first_token_at) * 1000,
            finish_reason=finish_reason,
        )

    def _draft_verifier(self):
        if self._draft_verify is None:
            from backend.engines.draft_verify import DraftVerifyDecoder

            self._draft_verify = DraftVerifyDecoder(self.llm, copy_margin=self.copy_margin)
        return self._draft_verify
