"""Evaluation statistics (placeholder; filled below)."""
