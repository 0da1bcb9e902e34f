"""Operations commands: `marsad audit verify`, `marsad keys rotate`, `marsad backup`,
`marsad restore`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from marsad.web.cli import project_option, project_settings, start_django

MIN_PASSPHRASE = 12
ENV_KEY_MESSAGE = (
    "the data key comes from MARSAD_DATA_KEY: marsad cannot store the new key there. Rotate by "
    "hand: stop the web app, write the key to the project's data key file (`printf '%s\\n' "
    '"$MARSAD_DATA_KEY" > data.key; chmod 600 data.key`), run `marsad keys rotate` without '
    "MARSAD_DATA_KEY, then put the new data.key's content in MARSAD_DATA_KEY and delete data.key "
    "and data.key.old-* (see docs/web.md, Keys, audit and backups)"
)


# --- audit ---------------------------------------------------------------------------------------


@click.group()
def audit() -> None:
    """The hash-chained audit and custody log."""


@audit.command("verify")
@project_option
def audit_verify(project: Path | None) -> None:
    """Check every entry of the audit log against its hash and its predecessor."""
    start_django(project_settings(project), migrate=True)
    from marsad.web.cases.audit import verify_chain
    from marsad.web.cases.models import AuditEntry

    problems = verify_chain()
    count = AuditEntry.objects.count()
    if not problems:
        click.echo(f"audit log intact: {count} entries")
        return
    for problem in problems:
        where = f"entry {problem.entry_id}" if problem.entry_id is not None else "chain head"
        click.echo(f"{where}: {problem.reason}")
    click.echo(f"audit log broken: {len(problems)} problem(s) in {count} entries", err=True)
    raise SystemExit(1)


# --- keys ----------------------------------------------------------------------------------------


@click.group()
def keys() -> None:
    """The data key that seals personal fields and evidence files."""


@keys.command("rotate")
@project_option
def keys_rotate(project: Path | None) -> None:
    """Re-seal every personal field and evidence file under a new data key (resumable)."""
    from marsad.web.crypto import KEY_ENV

    if os.environ.get(KEY_ENV):
        raise click.ClickException(ENV_KEY_MESSAGE)
    start_django(project_settings(project), migrate=True)
    from django.conf import settings

    from marsad.web.keys import RotationError, rotate_key_file

    key_file = Path(settings.MARSAD_DATA_KEY_FILE)
    try:
        result = rotate_key_file(key_file)
    except RotationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"re-sealed {result.values} field values and {result.blobs} evidence files; "
        f"{key_file} now holds the new key (key id {result.new_key_id})"
    )
    click.echo(
        f"The old key is in {result.old_key_copy}. Make a backup now (`marsad backup`), then "
        "destroy that file (shred -u); backups made before today still need it."
    )


# --- backup / restore ----------------------------------------------------------------------------


def read_passphrase(path: Path | None, confirm: bool) -> str:
    if path is None:
        text = click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm)
    else:
        text = path.read_text(encoding="utf-8").rstrip("\r\n")
    passphrase = str(text)
    if not passphrase:
        raise click.ClickException("the passphrase is empty")
    return passphrase


passphrase_option = click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File whose first line is the passphrase (default: asked for).",
)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@passphrase_option
@click.option(
    "--include-keys", is_flag=True, help="Put the data key and secret key files in the backup too."
)
def backup(
    out: Path, project: Path | None, passphrase_file: Path | None, include_keys: bool
) -> None:
    """Write an encrypted backup of the project to OUT: case database, warehouse, evidence,
    published reports and marsad.toml."""
    from marsad.web.backup import BackupError, backup_project
    from marsad.web.sealed_archive import ArchiveError

    settings = project_settings(project)
    passphrase = read_passphrase(passphrase_file, confirm=True)
    if len(passphrase) < MIN_PASSPHRASE:
        raise click.ClickException(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    try:
        summary = backup_project(settings, out, passphrase, include_keys)
    except (BackupError, ArchiveError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {summary.files} files ({summary.bytes} bytes) to {summary.path}")
    if not include_keys:
        click.echo(
            "The data key and secret key files are NOT in the backup: keep copies of them apart "
            "from it; without the data key the personal fields and evidence do not open."
        )


@click.command()
@click.argument(
    "backup_file", metavar="BACKUP", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--project",
    "project",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="New or empty folder to restore the project into.",
)
@passphrase_option
def restore(backup_file: Path, project: Path, passphrase_file: Path | None) -> None:
    """Check a backup whole and restore it into a new, empty project folder."""
    from marsad.web.backup import BackupError, restore_project
    from marsad.web.sealed_archive import ArchiveError

    passphrase = read_passphrase(passphrase_file, confirm=False)
    try:
        summary = restore_project(backup_file, project.expanduser().resolve(), passphrase)
    except (BackupError, ArchiveError) as error:
        raise click.ClickException(f"{backup_file}: {error}") from error
    click.echo(f"restored {summary.files} files into {summary.project_dir}; every hash checked")
    if not summary.keys_included:
        places = " and ".join(str(path) for path in summary.key_files)
        click.echo(
            "The backup holds no keys: copy the data key and secret key files "
            f"to {places} (mode 0600)."
        )


COMMANDS: tuple[click.Command, ...] = (audit, keys, backup, restore)
