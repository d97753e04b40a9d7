"""gym environments a program asks for by a version gym has since retired (`Pendulum-v0`, where
gym now registers `Pendulum-v1` and refuses the old id with DeprecatedEnv): the program runs on
the latest version gym registers under the same name, as gym's own message says to, with a note.
Only a refusal as deprecated is answered this way; an id gym does not know stays an error."""
from __future__ import annotations

import re
import sys

from .vision_data import AfterImport

VERSIONED = re.compile(r"^(?P<name>.+)-v(?P<version>\d+)$")


def install(driver) -> None:
    sys.meta_path.insert(0, AfterImport("gym", lambda gym: newest_on_deprecated(driver, gym)))


def newest_on_deprecated(driver, gym) -> None:
    make = getattr(gym, "make", None)
    deprecated = getattr(getattr(gym, "error", None), "DeprecatedEnv", None)
    if make is None or deprecated is None:
        return

    def make_latest(id, *args, **kwargs):  # noqa: A002 - gym's own parameter name
        try:
            return make(id, *args, **kwargs)
        except deprecated:
            newer = latest_version(gym, id) if isinstance(id, str) else None
            if newer is None:
                raise
        driver.note_once(f"gym:{id}", f"line {driver.current_line}: gym no longer has `{id}` (deprecated): the "
                         f"program ran on `{newer}`, the latest version gym registers under that name")
        return make(newer, *args, **kwargs)

    make_latest.__wrapped__ = make
    gym.make = make_latest


def latest_version(gym, env_id: str) -> str | None:
    """`Pendulum-v1` for `Pendulum-v0` when gym registers it: the highest version of the same name."""
    m = VERSIONED.match(env_id)
    registry = getattr(getattr(gym, "envs", None), "registry", None)
    if m is None or registry is None:
        return None
    specs = getattr(registry, "env_specs", registry)  # gym < 0.26: an EnvRegistry; later: a dict
    versions = [(int(v.group("version")), key) for key in list(specs)
                if (v := VERSIONED.match(str(key))) and v.group("name") == m.group("name")]
    newer = [(v, key) for v, key in versions if v > int(m.group("version"))]
    return max(newer)[1] if newer else None
