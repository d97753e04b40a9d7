"""gym environments a program asks for by a version gym has since retired (`Pendulum-v0`, where
gym now registers `Pendulum-v1` and refuses the old id with DeprecatedEnv): the program runs on
the latest version gym registers under the same name, as gym's own message says to, with a note.
Only a refusal as deprecated is answered this way; an id gym does not know stays an error.

A program written for gym's API before 0.26 (its text unpacks `env.step(...)` into four names,
observation, reward, done, info, or binds one name to `env.reset()`) meets a gym whose `reset()` gives `(observation, info)`, whose
`step()` gives five values and whose environments have no `seed()`: its first `reset()` or
`step()` fails, the check's gap, not the program's. Such a program's environments speak the API
it was written for (`reset()` the observation, `step()` four values, done = terminated or
truncated, `seed(s)` a reset with that seed, `render(mode=...)` without the mode gym now takes
when the environment is made), with a note. A program that unpacks five values, two from
`reset()` or passes `reset(seed=...)` is left as it is, and so is a program whose text says
neither or both.
gym 0.26's checker of environments calls `np.bool8`, which NumPy 2 removed: every `step()`
raised inside it, so environments are made without that checker (it checks gym's own
environments, not the program) where `gym.make` takes `disable_env_checker`."""
from __future__ import annotations

import ast
import inspect
import re
import sys

from .vision_data import AfterImport

VERSIONED = re.compile(r"^(?P<name>.+)-v(?P<version>\d+)$")


def install(driver) -> None:
    sys.meta_path.insert(0, AfterImport("gym", lambda gym: newest_on_deprecated(driver, gym)))


def step_api(source: str) -> str | None:
    """"old" when the program's text reads gym's API before 0.26 (it unpacks a `.step(...)` call
    into four names, or binds one name to `.reset()`) and nowhere the new one (five names from
    `.step(...)`, two from `.reset(...)`, `.reset(seed=...)`); "new" when it reads only the new
    one; None when it reads neither or both."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    old = new = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reset" \
                and any(k.arg == "seed" for k in node.keywords):
            new = True
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr in ("step", "reset")):
            continue
        for target in node.targets:
            size = len(target.elts) if isinstance(target, (ast.Tuple, ast.List)) and not any(
                isinstance(e, ast.Starred) for e in target.elts) else (1 if isinstance(target, ast.Name) else None)
            if value.func.attr == "step":
                old |= size == 4
                new |= size == 5
            else:
                old |= size == 1 and not value.keywords
                new |= size == 2
    if old == new:
        return None
    return "old" if old else "new"


def program_step_api(driver) -> str | None:
    try:
        with open(driver.path, encoding="utf-8") as handle:
            return step_api(handle.read())
    except (OSError, UnicodeDecodeError):
        return None


def new_api(gym) -> bool:
    """gym 0.26 and later: `step()` gives (observation, reward, terminated, truncated, info)."""
    try:
        parts = tuple(int(p) for p in re.findall(r"\d+", str(getattr(gym, "__version__", "")))[:2])
    except ValueError:
        return False
    return len(parts) == 2 and parts >= (0, 26)


def old_api_env(driver, gym, env):
    """`env` speaking gym's API before 0.26, as the program was written for."""
    base = getattr(gym, "Wrapper", None)
    if base is None or not isinstance(env, getattr(gym, "Env", object)):
        return env

    class OldStepAPI(base):
        def reset(self, **kwargs):
            out = self.env.reset(**kwargs)
            if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict):
                return out[0]
            return out

        def step(self, action):
            out = self.env.step(action)
            if isinstance(out, tuple) and len(out) == 5:
                observation, reward, terminated, truncated, info = out
                return observation, reward, bool(terminated) or bool(truncated), info
            return out

        def seed(self, seed=None):
            self.env.reset(seed=seed)
            return [seed]

        def render(self, *args, **kwargs):
            kwargs.pop("mode", None)
            return self.env.render(*args[1:], **kwargs)

    return OldStepAPI(env)


def newest_on_deprecated(driver, gym) -> None:
    make = getattr(gym, "make", None)
    deprecated = getattr(getattr(gym, "error", None), "DeprecatedEnv", None)
    if make is None or deprecated is None:
        return
    try:
        no_checker = "disable_env_checker" in inspect.signature(make).parameters
    except (TypeError, ValueError):
        no_checker = False
    old = new_api(gym) and program_step_api(driver) == "old"

    def make_latest(id, *args, **kwargs):  # noqa: A002 - gym's own parameter name
        if no_checker:
            kwargs.setdefault("disable_env_checker", True)
        try:
            env = make(id, *args, **kwargs)
        except deprecated:
            newer = latest_version(gym, id) if isinstance(id, str) else None
            if newer is None:
                raise
            driver.note_once(f"gym:{id}", f"line {driver.current_line}: gym no longer has `{id}` (deprecated): the "
                             f"program ran on `{newer}`, the latest version gym registers under that name")
            env = make(newer, *args, **kwargs)
        if old:
            driver.note_once("gym:api", f"line {driver.current_line}: the program is written for gym's API before "
                             "0.26 (`step()` unpacked into four values, or `reset()` bound to one name) and gym "
                             f"{gym.__version__} has the new one: its environments gave it the old API (`reset()` the "
                             "observation, `step()` four values, `seed()`)")
            env = old_api_env(driver, gym, env)
        return env

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
