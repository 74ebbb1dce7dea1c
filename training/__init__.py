"""LoRA fine-tuning pipeline on CPU: data -> training -> GGUF export -> evaluation.

Every step is `python -m training.<step> ...` run from the repository root; see training/README.md.
Importing the package first (as `python -m training.x` does) sets the process environment below.
"""

import os as _os

from backend.config import stay_offline

# Set before torch is imported anywhere in the process. On 2 shared cores, OpenMP threads that
# spin-wait at barriers collapse: one forward+backward of 2x289 tokens took 69.9 s with the default
# policy vs 14.6 s with PASSIVE under load ~12 (training/RESULTS.md has the full before/after).
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
stay_offline()  # nothing in training may download: the models and data sets are local
