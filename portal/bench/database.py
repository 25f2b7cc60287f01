"""The benchmark's own databases on the server the portal uses (given by DATABASE_URL, or the
embedded one): created when missing, copied for the sweeps, and this process pointed at one."""

import os
from urllib.parse import quote, urlsplit, urlunsplit

import dj_database_url
import psycopg2
from django.db import connections
from psycopg2 import sql


def bench_url(base_url: str, size: str) -> str:
    """BENCH_DATABASE_URL, else the database `lockstep_bench` (the `large` set) or
    `lockstep_bench_<size>` on the server of `base_url`: each set in a database of its own,
    so asking for one never seeds it on top of another."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    return with_name(base_url, "lockstep_bench" if size == "large" else f"lockstep_bench_{size}")


def with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def url_of(settings_dict: dict) -> str:
    """The URL of a connection's settings (a socket folder as `?host=`, as libpq reads it)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
    address = f"{host}:{port}" if port else host
    socket_folder = (settings_dict.get("OPTIONS") or {}).get("host")
    query = f"?host={quote(socket_folder)}" if socket_folder else ""
    return f"postgres://{credentials}{address}/{settings_dict['NAME']}{query}"


def name_of(url: str) -> str:
    return dj_database_url.parse(url)["NAME"]


def _server(url: str):
    """A connection to the server's maintenance database, outside any transaction (CREATE
    and DROP DATABASE cannot run in one)."""
    connection = psycopg2.connect(url, dbname="postgres")
    connection.autocommit = True
    return connection


def exists(url: str) -> bool:
    with _server(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name_of(url)])
        return cursor.fetchone() is not None


def create(url: str, *, template: str | None = None) -> None:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name_of(url)))
    if template:
        # A file copy: a checkpoint and the files, rather than the whole set through the WAL.
        statement += sql.SQL(" TEMPLATE {} STRATEGY FILE_COPY").format(sql.Identifier(template))
    connection = _server(url)
    try:
        connection.cursor().execute(statement)
    finally:
        connection.close()


def drop(url: str) -> None:
    connection = _server(url)
    try:
        connection.cursor().execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name_of(url))))
    finally:
        connection.close()


def use(url: str) -> None:
    """Point this process's default connection at `url` (the command that runs the benchmark
    prepares and reads the benchmark's database, not the one its settings named)."""
    connection = connections["default"]
    connection.close()
    parsed = dj_database_url.parse(url)
    connection.settings_dict.update({key: parsed[key] for key in (
        "NAME", "USER", "PASSWORD", "HOST", "PORT")})
    connection.settings_dict["OPTIONS"] = {**connection.settings_dict.get("OPTIONS", {}),
                                           **parsed.get("OPTIONS", {})}
