"""Helpers that put the model in the same state before each timed call, so that methods compared
in one run see the same cache: the fixed instruction cached, the email not (as for a new request)."""

from __future__ import annotations

from backend import prompts
from backend.proofreader import LlamaProofreader, default_max_tokens


def email_prompt(proofreader: LlamaProofreader, email: str) -> tuple[str, int]:
    scores = proofreader.scorer.score(email)
    prompt = prompts.render_prompt(prompts.messages(email, scores, few_shot=proofreader.settings.few_shot), proofreader.engine.chat_format)
    return prompt, default_max_tokens(proofreader.engine.count_tokens(email))


def shared_prefix_tokens(proofreader: LlamaProofreader) -> int:
    """Prompt tokens every email shares (the instruction): what a warm server has cached."""
    llm = proofreader.engine.llm
    fmt = proofreader.engine.chat_format
    def ids(email: str) -> list[int]:
        turns = prompts.messages(email, proofreader.scorer.score("Hi"), few_shot=proofreader.settings.few_shot)
        return llm.tokenize(prompts.render_prompt(turns, fmt).encode(), add_bos=True, special=True)

    a, b = ids("Hi Ann,\nSee you.\nBo"), ids("Dear Zed, no.")
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    # Stop before the tone note, which depends on the email's scores.
    tone = llm.tokenize(b"Tone:", add_bos=False, special=False)
    for i in range(0, common - len(tone) + 1):
        if a[i : i + len(tone)] == tone:
            return i
    return common


def keep_cached(proofreader: LlamaProofreader, n: int) -> None:
    """Forget cached tokens after the first `n` (a different email was proofread last)."""
    from backend.llama_runtime import load

    llama_cpp = load()
    llm = proofreader.engine.llm
    if llm.n_tokens > n:
        llama_cpp.llama_memory_seq_rm(llama_cpp.llama_get_memory(llm.ctx), -1, n, -1)
        llm.n_tokens = n
        llm._requires_eval = True
