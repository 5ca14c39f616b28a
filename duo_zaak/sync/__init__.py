"""The sync: the only writer of the mirror. `run.run_sync` is the entry; `run.py`'s docstring documents a run."""
