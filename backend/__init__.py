"""Email proofreader: the core (scoring, prompting, generation, guards, diff) and its HTTP/CLI front-ends.

The core (`backend.proofreader.Proofreader`) knows nothing about HTTP: the FastAPI routes in
`backend.api`, the CLI in `backend.cli`, the Gradio Space and the training evaluation all call it.
"""

__version__ = "0.1.0"
