"""The learner's saved work and its exports. Writes are atomic (temporary file, fsync, rename)."""

from .files import atomic_write_bytes, atomic_write_json

__all__ = ["atomic_write_bytes", "atomic_write_json"]
