"""Tuning sweeps, run on training data only (SciFact train, or a dev split): see evals/README.md."""
