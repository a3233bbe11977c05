"""Evaluation runner: question sets, deterministic scoring, reports and baseline comparison."""
