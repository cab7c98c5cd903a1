"""What intake tells the layers above it, without importing them."""

from django.dispatch import Signal

investigations_recorded = Signal()
"""Sent after investigations are inserted in bulk (an import): ``investigation_ids``, a list of
primary keys. Single saves send Django's ``post_save`` as usual."""
