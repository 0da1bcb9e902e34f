"""Starting Django for a marsad project, outside a web server: the web commands and the demo.

`setup_django(settings)` points the Django settings (`marsad.web.settings`) at the project by
setting `MARSAD_PROJECT` and `DJANGO_SETTINGS_MODULE`, then calls `django.setup()`. Django
reads its settings once per process, so a process that has set up Django for one project
cannot switch to another: that is refused with the two folders named.
"""

from __future__ import annotations

import os
from pathlib import Path

from marsad.config import PROJECT_ENV, Settings

SETTINGS_MODULE = "marsad.web.settings"


class BootError(RuntimeError):
    """Django could not be set up for this project; the message says why."""


def setup_django(settings: Settings) -> None:
    """Make Django use this project's database, keys and folders, and set it up."""
    from django.apps import apps

    if apps.ready:
        _check_same_project(settings.project_dir)
        return
    os.environ[PROJECT_ENV] = str(settings.project_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def _check_same_project(project_dir: Path) -> None:
    from django.conf import settings as django_settings

    current = Path(django_settings.PROJECT.project_dir).resolve()
    if current != project_dir.resolve():
        raise BootError(
            f"Django is already set up for {current} in this process; "
            f"it cannot switch to {project_dir}"
        )


def migrate_database(verbosity: int = 0) -> None:
    """Bring the case database's tables up to date (nothing to do is quick)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def prepare_to_serve(settings: Settings, *, collect_static: bool) -> None:
    """Migrate the database and (production) collect the static files, for a server about to
    start. Run by `marsad serve` in a fresh process (`python -m marsad.web.boot PROJECT`), so
    the settings are read with the serving environment, whatever this process imported."""
    setup_django(settings)
    migrate_database()
    if collect_static:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def main(argv: list[str]) -> int:
    from marsad.config import load_settings

    if len(argv) not in (1, 2) or argv[1:] not in ([], ["--collectstatic"]):
        print("usage: python -m marsad.web.boot PROJECT_DIR [--collectstatic]")
        return 2
    prepare_to_serve(load_settings(Path(argv[0])), collect_static=argv[1:] == ["--collectstatic"])
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
