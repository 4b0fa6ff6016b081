"""`python -m khabar` runs the same command line as the `khabar` entry point."""

import sys

from khabar.cli import main

sys.exit(main())
