"""Command-line subcommands of the evaluation (`khabar evaluate`, baselines)."""


def add_parsers(commands) -> None:
    """Register the subcommands on the `khabar` argparse subparsers object."""
