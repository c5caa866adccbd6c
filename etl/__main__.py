"""`python -m etl`: see etl/cli/main.py."""
import sys

from etl.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
