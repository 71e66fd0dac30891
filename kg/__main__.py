"""``python -m kg``: the same command line as ``kg``."""

from kg.cli import app

if __name__ == "__main__":
    app(prog_name="kg")
