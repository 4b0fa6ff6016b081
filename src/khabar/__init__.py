"""khabar: an annotated corpus of Arabic news articles and the tools that check and release it."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("khabar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
