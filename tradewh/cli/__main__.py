"""python -m tradewh.cli: the command, as the installed script runs it."""

from tradewh.cli import app

app()
