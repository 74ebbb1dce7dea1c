"""Loads llama.cpp with the fastest CPU kernels this machine can run, and checks that it generates.

backend.llama_builds installs a portable build plus faster kernel variants; the variant is chosen here,
at run time, from /proc/cpuinfo, so a venv copied to another CPU still runs. Every module that needs
llama_cpp gets it from `load()`: the choice must be made before the first `import llama_cpp`, which
loads libggml-cpu. `Settings.llama_kernels = "portable"` (PROOFREAD_LLAMA_KERNELS) skips the variants.

A build that uses instructions the CPU lacks dies with SIGILL on the first token; `check_generation`
finds that in a child process, so setup stops with a clear message instead of a server that dies on
the user's first request."""

from __future__ import annotations

import ctypes
import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

from backend import llama_builds
from backend.config import Settings
from backend.cpu_features import cpu_flags

_CHILD = """
import sys
from backend.llama_runtime import load
llama_cpp = load()
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=64, n_threads=int(sys.argv[2]), flash_attn=True, verbose=False)
llm.eval(llm.tokenize(b"Hello", add_bos=True))
print("ok", llm.sample(temp=0.0))
"""

FIX = (
    "Rebuild it portably: `make setup` builds llama-cpp-python with the flags in backend/llama_builds.py "
    "(no -march=native, no AMX) into its own wheel folder and reinstalls it over any other build."
)


class LlamaBuildError(RuntimeError):
    """The installed llama.cpp build cannot run on this CPU."""


def kernels_dir() -> Path:
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("llama-cpp-python is not installed: run `make setup`")
    return Path(spec.submodule_search_locations[0]) / "lib"


def chosen_build() -> llama_builds.Build:
    if Settings().llama_kernels == "portable":
        return llama_builds.PORTABLE
    build = llama_builds.choose(cpu_flags())
    if build is not llama_builds.PORTABLE and not (kernels_dir() / build.name / llama_builds.KERNELS).exists():
        return llama_builds.PORTABLE  # installed without its variants (e.g. by hand): still correct, slower
    return build


def load():
    """The llama_cpp module, its CPU kernels chosen for this machine (only the first call chooses)."""
    if "llama_cpp" not in sys.modules:
        build = chosen_build()
        if build is not llama_builds.PORTABLE:
            lib = kernels_dir()
            # The variant needs libggml-base from the package (its RUNPATH is its own folder); once it is
            # loaded under the SONAME libggml.so asks for, the loader reuses it instead of the portable one.
            ctypes.CDLL(str(lib / "libggml-base.so.0"), mode=ctypes.RTLD_GLOBAL)
            ctypes.CDLL(str(lib / build.name / llama_builds.KERNELS), mode=ctypes.RTLD_GLOBAL)
    import llama_cpp

    return llama_cpp


def system_info() -> str:
    """The CPU features the loaded kernels were compiled with ("AVX2 = 1 | ..."), without loading a model."""
    return load().llama_print_system_info().decode().strip()


def check_generation(model_path: Path, n_threads: int = 1, timeout: float = 300) -> None:
    """Raises LlamaBuildError naming the cause and the fix if generating one token kills the process."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(model_path), str(n_threads)],
                          capture_output=True, text=True, timeout=timeout, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode == 0 and done.stdout.startswith("ok"):
        return
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        cause = "illegal instruction: the build uses CPU instructions this CPU cannot run" if name == "SIGILL" else "a crash"
        raise LlamaBuildError(f"llama.cpp died with {name} ({cause}) generating one token with {model_path.name}. "
                              f"Compiled with: {system_info()}. {FIX}")
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    raise LlamaBuildError(f"llama.cpp could not generate one token with {model_path.name} (exit {done.returncode}: {tail}).")
