"""Tests of the synthetic-data generator."""
