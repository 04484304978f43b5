"""A small ASR-style model written with neural types (see README.md here)."""
