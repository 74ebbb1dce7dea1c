"""Can this machine run the installed llama.cpp build? One generated token, in a child process.

A build compiled for instructions the CPU does not have (or ggml's AMX kernels, which crashed on AMX
machines, issue 13) kills the process with SIGILL on the first token. In a child that is a clear
message at setup; in the server it would be a crash on the user's first request."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

_CHILD = """
import sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=64, n_threads=int(sys.argv[2]), flash_attn=True, verbose=False)
ids = llm.tokenize(b"Hello", add_bos=True)
llm.eval(ids)
print("ok", llm.sample(temp=0.0))
"""

FIX = (
    "Rebuild it portably: `make setup` builds llama-cpp-python with the flags in requirements-llama.txt "
    "(no -march=native, no AMX) into its own wheel folder; a venv holding another build gets it reinstalled."
)


class LlamaBuildError(RuntimeError):
    """The installed llama.cpp build cannot run on this CPU."""


def system_info() -> str:
    """The CPU features the installed llama.cpp was compiled with ("AVX2 = 1 | ..."), without loading a model."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode().strip()


def check_generation(model_path: Path, n_threads: int = 1, timeout: float = 300) -> None:
    """Raises LlamaBuildError naming the cause and the fix if generating one token kills the process."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(model_path), str(n_threads)],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode == 0 and done.stdout.startswith("ok"):
        return
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        cause = "illegal instruction: the build uses CPU instructions this CPU cannot run" if name == "SIGILL" else "a crash"
        raise LlamaBuildError(f"llama.cpp died with {name} ({cause}) generating one token with {model_path.name}. "
                              f"Compiled with: {system_info()}. {FIX}")
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    raise LlamaBuildError(f"llama.cpp could not generate one token with {model_path.name} (exit {done.returncode}: {tail}).")
