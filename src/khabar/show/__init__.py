"""`khabar show` (records as right-to-left HTML pages) and `khabar diff` (what changed between two
readings of the corpus). See docs/show-diff.md."""
