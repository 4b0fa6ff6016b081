"""Versioned releases: Parquet configs, dataset card, Croissant, citation, checksums."""
