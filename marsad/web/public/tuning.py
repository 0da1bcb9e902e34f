"""The knobs of the public form's defences, each a Django setting of the same name, else the
environment variable of that name, else the default:

- `MARSAD_PUBLIC_RATE_LIMIT`: POSTs per client address per window (`off` or None: no limit);
- `MARSAD_PUBLIC_RATE_WINDOW`: the window, in seconds;
- `MARSAD_POW_BITS`: leading zero bits of the proof-of-work (0: no work);
- `MARSAD_POW_NOJS_SECONDS`: how old a challenge must be to be sent without the work, by a
  browser without JavaScript (`off` or None: never);
- `MARSAD_POW_MAX_AGE`: seconds a challenge stays valid;
- `MARSAD_MAX_REQUEST_BYTES`: the largest request body accepted (default: four files at the
  per-file limit, plus 1 MiB for the form).
"""

from __future__ import annotations

import os

from django.conf import settings

from marsad.web.evidence import storage

OFF = ("off", "none", "")
MIB = 1024 * 1024


def _optional_int(name: str, default: int | None) -> int | None:
    """The setting `name` as a whole number; None where it is turned off."""
    if hasattr(settings, name):
        value = getattr(settings, name)
        return None if value is None else int(value)
    raw = os.environ.get(name)
    if raw is None:
        return default
    return None if raw.strip().lower() in OFF else int(raw)


def _int(name: str, default: int) -> int:
    value = _optional_int(name, default)
    return default if value is None else value


def rate_limit() -> int | None:
    return _optional_int("MARSAD_PUBLIC_RATE_LIMIT", 10)


def rate_window() -> int:
    return max(1, _int("MARSAD_PUBLIC_RATE_WINDOW", 600))


def pow_bits() -> int:
    return min(32, max(0, _int("MARSAD_POW_BITS", 16)))


def pow_nojs_seconds() -> int | None:
    return _optional_int("MARSAD_POW_NOJS_SECONDS", 30)


def pow_max_age() -> int:
    return max(1, _int("MARSAD_POW_MAX_AGE", 3600))


def max_request_bytes() -> int:
    per_file = storage.max_bytes()
    return _int("MARSAD_MAX_REQUEST_BYTES", 4 * per_file + MIB)
