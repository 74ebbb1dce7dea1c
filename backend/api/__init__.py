"""The HTTP service: thin FastAPI routes over the core, one model worker, no email text in logs."""
