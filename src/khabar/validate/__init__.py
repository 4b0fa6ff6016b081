"""The levelled validator: L1 file, L2 schema, L3 article, L4 corpus (see schema/CHECKS.md)."""

from khabar.validate.runner import ValidationReport, validate_paths

__all__ = ["ValidationReport", "validate_paths"]
