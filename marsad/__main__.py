"""`python -m marsad` runs the `marsad` command."""

from marsad.cli import main

if __name__ == "__main__":  # worker processes import this module too; they must not run it
    main()
