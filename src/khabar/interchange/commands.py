"""Command-line subcommands of the interchange formats (`khabar import`, `khabar export`, `khabar stats`)."""


def add_parsers(commands) -> None:
    """Register the subcommands on the `khabar` argparse subparsers object."""
