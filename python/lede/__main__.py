"""``python -m lede …`` and the ``lede`` command: the command line of the Rust binary."""

import sys

from ._lede import run_cli


def main() -> None:
    """Runs ``lede`` with this process's arguments and exits with its code."""
    sys.exit(run_cli(sys.argv))


if __name__ == "__main__":
    main()
