"""Provide: a police + health co-response platform for victims of domestic abuse."""

__version__ = "0.1.0"
