"""`python -m ikc`: the CLI (same as the `ikc` command), for running a checkout other than the installed one."""

from ikc.cli import app

app()
