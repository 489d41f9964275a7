"""`tradewh shell`: an interactive prompt on the warehouse, like the DuckDB CLI's and psql.

Each statement opens its own short read-only connection, so a shell left open never keeps a
refresh from writing (see README "Readers during a refresh"). Works on piped stdin too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import duckdb

from tradewh.cli import adhoc, coverage
from tradewh.cli.dictionary import describe, render_dictionary
from tradewh.cli.output import TEXT_FORMATS, OutputFormat, render
from tradewh.settings import Settings
from tradewh.warehouse import WarehouseError, reader

HISTORY = Path.home() / ".tradewh_history"
HELP = """\
SQL statements end with ';' and may span lines. Read-only.
.tables            tables and views, with what they hold
.schema NAME       columns of a table or view, with type and comment
.mode MODE         table, line (one line per column), csv, json or markdown (.format too)
\\x                 switch between table and line (the record view)
.bail on|off       stop at the first statement that fails (for scripts)
.help              this text
.quit              leave (or \\q, exit, quit, Ctrl-D)
Ctrl-C cancels the running query, or the statement being typed. Tab completes names.
"""
QUIT = {".quit", ".exit", "\\q", "exit", "quit"}
# What a Ctrl-C at the prompt yields: drop the statement being typed.
CANCEL = None


class Shell:
    def __init__(
        self,
        settings: Settings,
        out: TextIO,
        err: TextIO,
        fmt: OutputFormat = OutputFormat.table,
        timeout: float | None = None,
        limit: int = 1000,
        bail: bool = False,
        width: Callable[[], int | None] | None = None,
        colour: bool = False,
    ) -> None:
        self.settings = settings
        self.out, self.err = out, err
        self.fmt, self.timeout, self.limit = fmt, timeout, limit
        self.bail = bail
        self.width = width or (lambda: None)
        self.colour = colour
        self.failures = 0
        self.pending = False  # a statement is being typed (the continuation prompt)

    def _with_reader(self, work: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        try:
            con = reader(self.settings)  # may wait for a writer: Ctrl-C cancels that too
        except WarehouseError as exc:
            self._error(str(exc))
            return
        except KeyboardInterrupt:
            self._error("query cancelled (Ctrl-C)")
            return
        try:
            work(con)
        except adhoc.QueryError as exc:
            self._error(str(exc))
        except (adhoc.Cancelled, KeyboardInterrupt):
            # Back to the prompt: the session and its history stay.
            self._error("query cancelled (Ctrl-C)")
        finally:
            con.close()

    def _error(self, message: str) -> None:
        self.failures += 1
        self.err.write(message.rstrip() + "\n")
        self.err.flush()

    def run_sql(self, sql: str) -> None:
        def work(con: duckdb.DuckDBPyConnection) -> None:
            shown = self.limit if self.fmt in (OutputFormat.table, OutputFormat.line) else None
            for result in adhoc.results(con, sql, timeout=self.timeout, limit=shown):
                self.out.write(
                    render(
                        result.columns,
                        result.rows,
                        self.fmt,
                        result.total_rows,
                        width=self.width(),
                        colour=self.colour,
                    )
                )
                if self.fmt in (OutputFormat.table, OutputFormat.line):
                    self.out.write(coverage.empty_note(result, self.settings, con))
                self.out.flush()

        self._with_reader(work)

    def dot_command(self, line: str) -> bool:
        """Run a dot-command; False when it asks to leave."""
        command, _, argument = line.partition(" ")
        argument = argument.strip()
        if command in QUIT:
            return False
        handlers: dict[str, Callable[[str, str], None]] = {
            ".help": lambda _command, _argument: self.out.write(HELP),
            ".format": self._format,
            ".mode": self._format,
            "\\x": self._record_view,
            ".bail": self._bail,
            ".tables": self._tables,
            ".schema": self._schema,
        }
        handler = handlers.get(command)
        if handler is None or (command == ".schema" and not argument):
            self._error(f"unknown command {line!r}; .help lists them")
        else:
            handler(command, argument)
        return True

    def _format(self, command: str, argument: str) -> None:
        names = [f.value for f in TEXT_FORMATS]
        if argument not in names:
            self._error(f"{command} takes one of {', '.join(names)}")
        else:
            self.fmt = OutputFormat(argument)

    def _record_view(self, _command: str, _argument: str) -> None:
        self.fmt = OutputFormat.table if self.fmt is OutputFormat.line else OutputFormat.line
        self.out.write(f"record view {'on' if self.fmt is OutputFormat.line else 'off'}\n")

    def _bail(self, _command: str, argument: str) -> None:
        if argument not in ("on", "off"):
            self._error(".bail takes on or off")
        else:
            self.bail = argument == "on"

    def _tables(self, _command: str, _argument: str) -> None:
        self._with_reader(
            lambda con: self.out.write(
                render(
                    ["name", "kind", "what it holds"],
                    [(o.qualified, o.kind, o.comment) for o in describe(con)],
                    OutputFormat.table,
                    row_count=False,
                    width=self.width(),
                    colour=self.colour,
                )
            )
        )

    def _schema(self, _command: str, argument: str) -> None:
        def schema(con: duckdb.DuckDBPyConnection) -> None:
            found = describe(con, name=argument)
            if not found:
                raise adhoc.QueryError(f"no table or view {argument!r} (see .tables)")
            self.out.write(render_dictionary(found, OutputFormat.table, self.width()))

        self._with_reader(schema)

    def _stop(self, failures_before: int) -> bool:
        return self.bail and self.failures > failures_before

    def loop(self, lines: Iterator[str | None]) -> None:
        """Read statements (ending in ';') and dot-commands (one line each) until .quit or EOF;
        a CANCEL drops the statement being typed."""
        buffer: list[str] = []
        for line in lines:
            before = self.failures
            if line is CANCEL:
                buffer = []
            else:
                stripped = line.strip()
                word = stripped.rstrip(";").strip()
                if not buffer and (stripped.startswith((".", "\\")) or word.lower() in QUIT):
                    if not self.dot_command(word.lower() if word.lower() in QUIT else stripped):
                        return
                elif stripped or buffer:
                    buffer.append(line)
                    if stripped.endswith(";"):
                        self.run_sql("\n".join(buffer))
                        buffer = []
            self.pending = bool(buffer)
            if self._stop(before):
                return
        if "".join(buffer).strip():
            self.run_sql("\n".join(buffer))


def piped_lines(stdin: TextIO) -> Iterator[str | None]:
    for line in stdin:
        yield line.rstrip("\n")


def names(settings: Settings) -> list[str]:
    """What Tab completes: schemas, schema.table, tables and columns, and the dot-commands."""
    try:
        con = reader(settings)
    except WarehouseError:
        return []
    try:
        rows = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND NOT internal"
        ).fetchall()
    finally:
        con.close()
    found: set[str] = {".tables", ".schema", ".mode", ".help", ".quit", ".bail", "\\x", "\\q"}
    for schema, table, column in rows:
        found |= {f"{schema}.", f"{schema}.{table}", table, column}
    return sorted(found)


def completer(candidates: Callable[[], list[str]]) -> Callable[[str, int], str | None]:
    """A readline completer over names loaded on first use (the shell starts at once)."""
    loaded: list[str] = []

    def complete(text: str, state: int) -> str | None:
        if not loaded:
            loaded.extend(candidates())
        matches = [n for n in loaded if n.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None

    return complete


def prompted_lines(shell: Shell) -> Iterator[str | None]:
    """Lines typed at a terminal, with line editing, completion and a history kept across
    sessions; CANCEL for a Ctrl-C at the prompt."""
    import readline  # only at a terminal: importing it can emit escape codes on some terminals

    try:
        readline.read_history_file(HISTORY)
    except OSError:
        pass  # the first session: no history yet
    readline.set_completer(completer(lambda: names(shell.settings)))
    # '.' is part of a name here ("marts.balance_monthly"), not a word break.
    readline.set_completer_delims(" \t\n,;()=<>'\"")
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    shell.out.write("tradewh shell: read-only; .help for commands, .quit to leave\n")
    try:
        while True:
            try:
                line = input("     ...> " if shell.pending else "tradewh> ")
            except EOFError:
                shell.out.write("\n")
                return
            except KeyboardInterrupt:
                shell.out.write("^C\n")
                yield CANCEL
                continue
            yield line
    finally:
        readline.write_history_file(HISTORY)
