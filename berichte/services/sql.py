"""SQL building blocks shared by the report builders (``builders.py``, ``umsetzung.py``); PostgreSQL and SQLite."""

from django.db import connection


def tabelle(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def literal(text: str) -> str:
    """A code constant as an SQL literal (only ever used with values from choices classes, never user input)."""
    return "'" + str(text).replace("'", "''") + "'"


def aufzaehlung(ausdruck: str, von_where_order: str) -> str:
    """Scalar subquery that joins the values of ``ausdruck`` with ", " in the given order."""
    agg = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    return f"(SELECT {agg}(s.wert, ', ') FROM (SELECT {ausdruck} AS wert {von_where_order}) s)"


def zaehle(bedingung: str) -> str:
    return f"SUM(CASE WHEN {bedingung} THEN 1 ELSE 0 END)"
