"""Email proofreader: the core (scoring, prompting, generation, guards, diff) and its HTTP/CLI front-ends.

The core knows nothing about HTTP: its contract is `backend/types.py` (the `Proofreader` protocol, `Result`)
and its settings `backend/config.py`; `backend/factory.py` builds it. The FastAPI routes in `backend.api`,
the CLI in `backend.cli`, the Gradio Space and the training evaluation all call it.
"""

__version__ = "0.1.0"
