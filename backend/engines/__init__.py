"""Text generators behind the core: llama.cpp on this machine, or a remote Gradio Space."""
