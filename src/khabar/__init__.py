"""khabar: an annotated corpus of Arabic news articles and the tools that check and release it.

The Python API (each function documented in khabar.api):

    khabar.validate(paths) -> report          # every check of `khabar validate`
    khabar.read_records(path)                 # records of a .json file, .jsonl shard or folder
    khabar.load(release, config)              # datasets.load_dataset of a release
    khabar.evaluate(gold, predictions) -> dict  # the report of `khabar evaluate`
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("khabar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

from khabar.api import InvalidRecord, evaluate, load, read_records, validate  # noqa: E402

__all__ = ["InvalidRecord", "__version__", "evaluate", "load", "read_records", "validate"]
