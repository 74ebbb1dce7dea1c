"""Training-data builders, one module per source; `python -m training.data.build` writes them out."""
