"""SQL functions the figures need that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class unordered(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """A column no index may serve: `+column` on SQLite (its unary plus keeps a term from the indexes), the column
    itself elsewhere. For a GROUP BY that SQLite would otherwise answer by walking an index in order with a table
    look-up per row, or a WHERE it would answer from a partial index the same way."""

    type = Integer()
    inherit_cache = True


@compiles(unordered)
def _unordered_default(element: unordered, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(unordered, "sqlite")
def _unordered_sqlite(element: unordered, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(list(element.clauses)[0], **kw)}"


class days_between(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """`end - start` in whole days, on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"
