"""The `tradewh` command. `app` (tradewh.cli.app) holds the options every command shares; each
module below adds its commands, in the order `tradewh --help` lists them:

- ``ask``: sql, query, shell;
- ``documents``: docs, export, claims, report;
- ``running``: refresh, status, backfill;
- ``quarantine_commands``: quarantine list, show, release, discard;
- ``lake_commands``: migrate, connect, snapshots, maintain, rebuild.
"""

from tradewh.cli.app import app

# The order `tradewh --help` lists the commands in.
# isort: off
from tradewh.cli import ask
from tradewh.cli import documents
from tradewh.cli import running
from tradewh.cli import quarantine_commands
from tradewh.cli import lake_commands
# isort: on

# Imported for the commands they add to `app`.
__all__ = ["app", "ask", "documents", "lake_commands", "quarantine_commands", "running"]
