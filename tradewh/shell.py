"""`tradewh shell`: an interactive prompt on the warehouse, like the DuckDB CLI's.

Each statement opens its own short read-only connection, so a shell left open never keeps a
refresh from writing (see README "Readers during a refresh"). Works on piped stdin too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from tradewh import adhoc
from tradewh.dictionary import describe, render_dictionary
from tradewh.render import TEXT_FORMATS, OutputFormat, render
from tradewh.settings import Settings
from tradewh.warehouse import WarehouseError, reader

HISTORY = Path.home() / ".tradewh_history"
HELP = """\
SQL statements end with ';' and may span lines. Read-only.
.tables            tables and views, with what they hold
.schema NAME       columns of a table or view, with type and comment
.format FORMAT     table, csv, json or markdown
.help              this text
.quit              leave (or Ctrl-D)
"""


class Shell:
    def __init__(
        self,
        settings: Settings,
        out: TextIO,
        err: TextIO,
        fmt: OutputFormat = OutputFormat.table,
        timeout: float | None = None,
        limit: int = 1000,
    ) -> None:
        self.settings = settings
        self.out, self.err = out, err
        self.fmt, self.timeout, self.limit = fmt, timeout, limit
        self.failures = 0

    def _with_reader(self, work: Callable[..., str]) -> None:
        try:
            con = reader(self.settings)
        except WarehouseError as exc:
            self._error(str(exc))
            return
        try:
            self.out.write(work(con))
        except adhoc.QueryError as exc:
            self._error(str(exc))
        finally:
            con.close()

    def _error(self, message: str) -> None:
        self.failures += 1
        self.err.write(message.rstrip() + "\n")

    def run_sql(self, sql: str) -> None:
        def work(con) -> str:
            result = adhoc.run(con, sql, timeout=self.timeout, limit=self.limit)
            return render(result.columns, result.rows, self.fmt, result.total_rows)

        self._with_reader(work)

    def dot_command(self, line: str) -> bool:
        """Run a dot-command; False when it asks to leave."""
        command, _, argument = line.partition(" ")
        argument = argument.strip()
        if command in (".quit", ".exit"):
            return False
        if command == ".help":
            self.out.write(HELP)
        elif command == ".format":
            names = [f.value for f in TEXT_FORMATS]
            if argument not in names:
                self._error(f".format takes one of {', '.join(names)}")
            else:
                self.fmt = OutputFormat(argument)
        elif command == ".tables":
            self._with_reader(
                lambda con: render(
                    ["name", "kind", "what it holds"],
                    [(o.qualified, o.kind, o.comment) for o in describe(con)],
                    OutputFormat.table,
                    row_count=False,
                )
            )
        elif command == ".schema" and argument:

            def schema(con) -> str:
                found = describe(con, name=argument)
                if not found:
                    raise adhoc.QueryError(f"no table or view {argument!r} (see .tables)")
                return render_dictionary(found, OutputFormat.table)

            self._with_reader(schema)
        else:
            self._error(f"unknown command {line!r}; .help lists them")
        return True

    def loop(self, lines: Iterator[str]) -> None:
        """Read statements (ending in ';') and dot-commands (one line each) until .quit or EOF."""
        buffer: list[str] = []
        for line in lines:
            stripped = line.strip()
            if not buffer and stripped.startswith("."):
                if not self.dot_command(stripped):
                    return
                continue
            if stripped or buffer:
                buffer.append(line)
            if stripped.endswith(";"):
                self.run_sql("\n".join(buffer))
                buffer = []
        if "".join(buffer).strip():
            self.run_sql("\n".join(buffer))


def piped_lines(stdin: TextIO) -> Iterator[str]:
    for line in stdin:
        yield line.rstrip("\n")


def prompted_lines(shell: Shell) -> Iterator[str]:
    """Lines typed at a terminal, with line editing and a history kept across sessions."""
    import readline  # only at a terminal: importing it can emit escape codes on some terminals

    try:
        readline.read_history_file(HISTORY)
    except OSError:
        pass  # the first session: no history yet
    shell.out.write("tradewh shell: read-only; .help for commands, .quit to leave\n")
    try:
        continuing = False
        while True:
            try:
                line = input("     ...> " if continuing else "tradewh> ")
            except EOFError:
                shell.out.write("\n")
                return
            except KeyboardInterrupt:
                shell.out.write("^C\n")
                continue
            stripped = line.strip()
            continuing = (
                bool(stripped)
                and not stripped.endswith(";")
                and (continuing or not stripped.startswith("."))
            )
            yield line
    finally:
        readline.write_history_file(HISTORY)
