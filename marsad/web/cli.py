"""The web app's commands: `marsad serve`, `marsad createstaff`, `marsad manage`, `marsad token`.

Each works on a project (`--project DIR`, else `$MARSAD_PROJECT`, else the current folder): its
SQLite case database, or `MARSAD_DATABASE_URL` (PostgreSQL in production). Django is imported
only when a command runs, so `marsad --help` stays fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from marsad.config import ConfigError, Settings, load_settings, resolve_project
from marsad.project import ProjectError, require_project

F = TypeVar("F", bound=Callable[..., Any])
PERSONAS = ("documenter", "verifier", "analyst", "admin")  # marsad.web.cases.states.Persona
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WSGI_APP = "marsad.web.wsgi:application"
THREADS = 4  # threads per gunicorn worker: keep-alive connections, waits on the database


def project_option(func: F) -> F:
    return click.option(
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Project folder (default: $MARSAD_PROJECT, else the current folder).",
    )(func)


def project_settings(project: Path | None) -> Settings:
    try:
        settings = load_settings(resolve_project(project, os.environ))
        require_project(settings)
    except (ConfigError, ProjectError) as error:
        raise click.ClickException(str(error)) from error
    return settings


def start_django(settings: Settings, *, migrate: bool) -> None:
    from marsad.web.boot import BootError, migrate_database, setup_django

    try:
        setup_django(settings)
    except BootError as error:
        raise click.ClickException(str(error)) from error
    if migrate:
        migrate_database()


# --- serve ---------------------------------------------------------------------------------------


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def serving_environment(settings: Settings, host: str, dev: bool) -> dict[str, str]:
    """The variables `marsad serve` sets: the project, and in production mode the production
    switch, plus cookies allowed over plain http when it listens on a loopback address only."""
    env = {"MARSAD_PROJECT": str(settings.project_dir)}
    if dev:
        env["MARSAD_DEBUG"] = os.environ.get("MARSAD_DEBUG", "true")
        return env
    env["MARSAD_ENV"] = "production"
    if host in LOOPBACK:
        env["MARSAD_INSECURE_COOKIES"] = "true"
    return env


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# gunicorn writes no access log unless one is asked for (`GUNICORN_CMD_ARGS`, a config file);
# if one is, its lines hold no client address, browser, referrer or query string.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APP,
        "--bind",
        bind_address(host, port),
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--preload",
        "--graceful-timeout",
        "10",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        *_no_control_socket(),
    ]


def _no_control_socket() -> list[str]:
    """gunicorn 24+ opens a control socket in the home folder, shared by every server of the
    user; marsad does not use it."""
    from gunicorn.config import KNOWN_SETTINGS

    known = any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
    return ["--no-control-socket"] if known else []


def serve_project(
    settings: Settings, host: str, port: int, workers: int | None, dev: bool
) -> NoReturn:
    """Migrate, collect the static files (production) and become the web server.

    The preparation runs in a fresh process with the serving environment: this process may
    already have read Django's settings without it (the demo reads the case database)."""
    kept = {k: v for k, v in os.environ.items() if not (dev and k == "MARSAD_ENV")}
    env = kept | serving_environment(settings, host, dev)
    prepare = [sys.executable, "-m", "marsad.web.boot", str(settings.project_dir)]
    done = subprocess.run(prepare if dev else [*prepare, "--collectstatic"], env=env, check=False)
    if done.returncode != 0:
        raise click.ClickException("the database or the static files could not be prepared")
    if dev:
        os.execve(sys.executable, [sys.executable, "-m", "django", *runserver(host, port)], env)
    where = bind_address(host, port)
    click.echo(f"marsad: serving {settings.project_dir} on http://{where}/", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, gunicorn_command(host, port, workers or default_workers()), env)


def runserver(host: str, port: int) -> list[str]:
    """Django's development server, with the marsad settings."""
    return ["runserver", bind_address(host, port), "--settings", "marsad.web.settings"]


@click.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="gunicorn worker processes, 4 threads each (default: 2 per CPU core + 1, at most 8).",
)
@click.option("--dev", is_flag=True, help="Django's development server, reloading on changes.")
def serve(project: Path | None, host: str, port: int, workers: int | None, dev: bool) -> None:
    """Serve the web app: migrate the database, then gunicorn (or --dev: runserver)."""
    serve_project(project_settings(project), host, port, workers, dev)


# --- createstaff ---------------------------------------------------------------------------------


class StaffError(ValueError):
    """A staff account could not be made; the message says why."""


def create_staff(username: str, persona: str, password: str, *, replace: bool = False) -> Any:
    """A staff user with this persona and password (checked by Django's password validators);
    with `replace`, an existing user gets the new password and persona instead."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from marsad.web.cases import audit
    from marsad.web.cases.personas import set_persona
    from marsad.web.cases.states import Persona

    users = get_user_model()
    existing = users.objects.filter(username=username).first()
    if existing is not None and not replace:
        raise StaffError(f"a user named {username!r} exists already")
    try:
        validate_password(password, existing or users(username=username))
    except ValidationError as error:
        raise StaffError("password refused: " + " ".join(error.messages)) from error
    with transaction.atomic():
        user = existing or users(username=username)
        user.set_password(password)
        user.is_active = True
        user.save()
        set_persona(user, Persona(persona))
        action = "staff.password_set" if existing else "staff.created"
        audit.record(audit.SYSTEM, action, details={"user": username, "persona": persona})
    return user


@click.command()
@project_option
@click.option("--persona", type=click.Choice(PERSONAS), required=True, help="The staff role.")
@click.option("--username", required=True, help="Login name.")
@click.option("--password", default=None, help="Password (default: asked for twice).")
@click.option(
    "--replace",
    is_flag=True,
    help="An existing user gets the new password, persona and authenticator (a lost phone).",
)
def createstaff(
    project: Path | None, persona: str, username: str, password: str | None, replace: bool
) -> None:
    """Create a staff login: documenter, verifier, analyst or admin, with its two-factor
    authenticator (TOTP), whose otpauth:// enrolment URI is printed once."""
    settings = project_settings(project)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    start_django(settings, migrate=True)
    from django.db import transaction

    from marsad.web.staff.two_factor import new_device

    try:
        with transaction.atomic():
            user = create_staff(username, persona, str(password), replace=replace)
            device = new_device(user, confirmed=True)
    except StaffError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{'Replaced' if replace else 'Created'} {persona} {username!r} in {settings.project_dir}"
    )
    click.echo(ENROLMENT_NOTE)
    click.echo(device.config_url)


ENROLMENT_NOTE = (
    "Two-factor enrolment URI below. It is a secret: hand it to the staff member privately, "
    "who scans it once into an authenticator app (as a QR code or typed in); then delete "
    "every copy of it. Their login asks for the app's six-digit code after the password."
)


@click.command()
@project_option
@click.option("--username", default=None, help="The login name to unlock.")
@click.option("--all", "everyone", is_flag=True, help="Unlock every login name.")
def unlock(project: Path | None, username: str | None, everyone: bool) -> None:
    """Lift the login lockout (five wrong passwords) of a staff login name, or of all."""
    if (username is None) == (not everyone):
        raise click.UsageError("give --username NAME or --all")
    settings = project_settings(project)
    start_django(settings, migrate=True)
    from marsad.web.cases import audit
    from marsad.web.staff.lockout import unlock as lift

    removed = lift(username)
    audit.record(audit.SYSTEM, "staff.unlocked", details={"user": username or "*"})
    who = repr(username) if username else "every login name"
    click.echo(f"Unlocked {who}: {removed} lockout record(s) removed")


# --- manage --------------------------------------------------------------------------------------


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@project_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(project: Path | None, args: tuple[str, ...]) -> None:
    """Run a Django management command on the project (migrate, check --deploy, shell...)."""
    settings = project_settings(project)
    start_django(settings, migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["marsad manage", *args])


# --- token ---------------------------------------------------------------------------------------


@click.group()
def token() -> None:
    """API tokens of staff members (Authorization: Bearer TOKEN)."""


@token.command("create")
@project_option
@click.option("--username", required=True, help="The staff member the token acts as.")
@click.option("--name", default="api", show_default=True, help="What or who uses the token.")
def token_create(project: Path | None, username: str, name: str) -> None:
    """Make a token and print it once (only its hash is stored)."""
    start_django(project_settings(project), migrate=True)
    from marsad.web.api.auth import TokenError, create_token

    try:
        row, secret = create_token(username, name)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"token {row.id} for {username} ({row.name}); it is shown only this once:")
    click.echo(secret)


@token.command("revoke")
@project_option
@click.argument("token_id", type=int)
def token_revoke(project: Path | None, token_id: int) -> None:
    """Revoke token TOKEN_ID (see `marsad token list`)."""
    start_django(project_settings(project), migrate=True)
    from marsad.web.api.auth import TokenError, revoke_token

    try:
        row = revoke_token(token_id)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"token {row.id} of {row.user.get_username()} ({row.name}) is revoked")


@token.command("list")
@project_option
def token_list(project: Path | None) -> None:
    """List the tokens: id, user, name, made, last used, revoked."""
    start_django(project_settings(project), migrate=True)
    from marsad.web.api.models import ApiToken

    for row in ApiToken.objects.select_related("user"):
        when = row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "never"
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        made = row.created_at.isoformat(timespec="seconds")
        click.echo(f"{row.id}\t{row.user.get_username()}\t{row.name}\t{made}\t{when}\t{state}")


def ops_commands() -> tuple[click.Command, ...]:
    """audit, keys, backup and restore (marsad/web/cli_ops.py, which imports this module)."""
    from marsad.web.cli_ops import COMMANDS as OPS

    return OPS


COMMANDS: tuple[click.Command, ...] = (
    serve,
    createstaff,
    unlock,
    manage,
    token,
    *ops_commands(),
)
