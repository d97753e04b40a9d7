"""Isolation of the shape check's subprocess, and the guarantee that nothing it started survives.

Two levels, chosen by trying (`isolation_available`):

- ``namespaces`` (Linux with user namespaces, through util-linux's ``unshare``): the check runs in
  new user, PID, network and mount namespaces. Every mount is read-only except a private
  temporary folder, a private, empty ``/dev/shm`` and the namespace's own ``/proc`` (CUDA needs
  it writable); the program's own folder (its working directory) is a writable overlay whose
  changes go to the private folder, so a file the program writes and reads back (a checkpoint,
  a pickle) is there for it and gone after the check, the real folder untouched; ``/run`` is covered by an empty read-only
  file system and every other Unix socket bound when the check starts (/proc/net/unix) by
  /dev/null, so no local service can be reached; there is no network, not even loopback; the
  check sees only its own processes. When the check's first
  process (the PID namespace's init) ends, the kernel kills every process left in the namespace.
- ``process-tree`` (no user namespaces: another OS, or a container that disables them): no file
  system or network isolation. The check runs under a reaper that is a child subreaper, so every
  process the check starts, even one that double-forks or starts its own session, stays in the
  reaper's tree; when the check ends the reaper kills that tree and reaps it.

In both, each process of the check carries a random token in its environment, and the parent
kills whatever still carries it after the check (`sweep`), so that a reaper killed on a timeout
leaves nothing behind either. The reaper also ends the check when the parent dies (a pipe from
the parent reaches end-of-file).

This file is also the reaper itself:

    python -I -S sandbox.py MODE STATUS.json PRIVATE_DIR PARENT_FD -- COMMAND...

It needs only the standard library: it runs before anything of the user's.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import signal
import sys
import threading
import time

# the parent's side imports shutil, subprocess and secrets where it uses them: the reaper, which
# starts before every check, stays quick to start

MODES = ("auto", "namespaces", "process-tree")
TOKEN_VAR = "TENSORLINT_SHAPECHECK_TOKEN"
UNSHARE_FLAGS = ["--user", "--map-root-user", "--pid", "--net", "--mount", "--fork", "--kill-child"]
# empty, read-only file systems over the folders where services keep their sockets (a database's,
# Docker's, the session bus); every other Unix socket bound on this machine is hidden one by one
COVERED = ("/run", "/var/run")
FOLDER_COPY_VAR = "TENSORLINT_SHAPECHECK_FOLDER_COPY"  # child/common.py's FOLDER_COPY: the folder takes writes
SOCKETS_FILE = "sockets.json"  # in the private folder: the socket paths the parent saw (/proc/net/unix)
MAX_SOCKETS = 4096

# from <linux/mount.h>, <linux/prctl.h>, <fcntl.h>
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME, MS_STRICTATIME = 1024, 2048, 1 << 21, 1 << 24
MOUNT_ATTR_RDONLY = 1
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
SYS_MOUNT_SETATTR = 442  # the same number on every architecture (added in Linux 5.12)
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
KEPT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
              "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}


# -- the parent's side ---------------------------------------------------------------------------


_probe: dict[str, tuple[bool, str]] = {}


def isolation_available() -> tuple[bool, str]:
    """(True, "") when namespaces can be made here, else (False, why). Tried once per process."""
    if "result" not in _probe:
        _probe["result"] = _try_namespaces()
    return _probe["result"]


def _try_namespaces() -> tuple[bool, str]:
    import shutil
    import subprocess

    if not sys.platform.startswith("linux"):
        return False, f"namespaces are a Linux feature (this is {sys.platform})"
    unshare = shutil.which("unshare")
    if unshare is None:
        return False, "the `unshare` program (util-linux) is not installed"
    try:
        proc = subprocess.run([unshare, *UNSHARE_FLAGS, "true"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"`unshare` could not run: {exc}"
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return False, "user namespaces are not available here" + (f" ({why[-1]})" if why else "")
    return True, ""


def new_token() -> str:
    import secrets

    return secrets.token_hex(16)


def bound_sockets(limit: int = MAX_SOCKETS) -> list[str]:
    """Paths of the Unix sockets bound in this network namespace (a new one sees none of them,
    but a path on the file system still leads to them)."""
    paths: list[str] = []
    try:
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as f:
            next(f, None)
            for row in f:
                fields = row.rstrip("\n").split(None, 7)
                if len(fields) == 8 and fields[7].startswith("/") and fields[7] not in paths:
                    paths.append(fields[7])
                    if len(paths) >= limit:
                        break
    except OSError:
        pass
    return paths


def command(mode: str, status_file: str, private_dir: str, parent_fd: int, argv: list[str]) -> list[str]:
    """The command line that runs `argv` under the reaper, inside namespaces when `mode` says so."""
    import shutil

    reaper = [sys.executable, "-I", "-S", os.path.abspath(__file__), mode, status_file, private_dir, str(parent_fd), "--", *argv]
    if mode == "namespaces":
        return [shutil.which("unshare") or "unshare", *UNSHARE_FLAGS, *reaper]
    return reaper


def read_status(status_file: str) -> dict:
    try:
        with open(status_file, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def carrying(token: str) -> list[int]:
    """Processes whose environment holds TOKEN_VAR=token (the check's and their descendants')."""
    needle = f"{TOKEN_VAR}={token}".encode()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = f.read()
        except OSError:
            continue  # gone, or not ours to read
        if needle in env.split(b"\0") and not _zombie(int(entry)):
            found.append(int(entry))
    return found


def sweep(token: str, wait_s: float = 5.0) -> list[int]:
    """Kill every process that carries `token` and wait until none is alive. Returns the pids
    that were still running (empty when the reaper had already cleaned up)."""
    killed: list[int] = []
    deadline = time.monotonic() + wait_s
    while True:
        alive = [pid for pid in carrying(token) if pid != os.getpid()]
        if not alive or time.monotonic() > deadline:
            return killed
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            if pid not in killed:
                killed.append(pid)
        time.sleep(0.02)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        return stat[stat.rindex(b")") + 2 : stat.rindex(b")") + 3] in (b"Z", b"X")
    except (OSError, ValueError):
        return True


# -- the reaper (run as a program) ----------------------------------------------------------------


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc, source, target, fstype, flags, data=None) -> str | None:
    enc = lambda s: s.encode() if isinstance(s, str) else s  # noqa: E731
    if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        return f"mount {target}: {os.strerror(ctypes.get_errno())}"
    return None


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _set_readonly(libc, path: str, readonly: bool, recursive: bool) -> str | None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY if readonly else 0, 0 if readonly else MOUNT_ATTR_RDONLY, 0, 0)
    flags = AT_RECURSIVE if recursive else 0
    if libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, path.encode(), flags, ctypes.byref(attr), ctypes.sizeof(attr)) == 0:
        return None
    err = ctypes.get_errno()
    if err not in (errno.ENOSYS, errno.EINVAL):
        return f"read-only {path}: {os.strerror(err)}"
    # before Linux 5.12: remount each mount, keeping the flags the kernel locked
    targets = [path]
    if recursive:
        targets = [m for m in _mounts() if m[0] == path or m[0].startswith(path.rstrip("/") + "/")]
        targets = [m[0] for m in targets]
    problems = []
    options = {m[0]: m[1] for m in _mounts()}
    for target in targets:
        flags = MS_REMOUNT | MS_BIND | (MS_RDONLY if readonly else 0)
        for opt in options.get(target, ()):
            flags |= KEPT_FLAGS.get(opt, 0)
        problem = _mount(libc, None, target, None, flags)
        if problem:
            problems.append(problem)
    return "; ".join(problems) or None


def _mounts() -> list[tuple[str, list[str]]]:
    """(mount point, per-mount options) from /proc/self/mountinfo, in mount order."""
    out = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            for row in f:
                fields = row.split()
                if len(fields) > 5:
                    point = fields[4].replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")
                    out.append((point, fields[5].split(",")))
    except OSError:
        pass
    return out


def enter_jail(private_dir: str) -> dict:
    """Inside fresh user, PID, network and mount namespaces: make the file system read-only
    except `private_dir`, give the PID namespace its own /proc. Returns what was achieved."""
    libc = _libc()
    done = {"namespaces": ["user", "pid", "network", "mount"], "problems": []}
    problems = done["problems"]

    def note(problem):
        if problem:
            problems.append(problem)

    note(_mount(libc, None, "/", None, MS_REC | MS_PRIVATE))
    proc_problem = _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    note(proc_problem)
    done["own_proc"] = proc_problem is None
    covered = []
    for folder in COVERED:
        needed = (private_dir, os.getcwd())  # a folder that holds these stays visible (read-only)
        if os.path.isdir(folder) and not os.path.islink(folder) and not any(_inside(p, folder) for p in needed):
            if _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=1m") is None:
                covered.append(folder)
    done["covered"] = covered
    note(_mount(libc, private_dir, private_dir, None, MS_BIND))
    try:
        with open(os.path.join(private_dir, SOCKETS_FILE), encoding="utf-8") as f:
            sockets = json.load(f)
    except (OSError, ValueError):
        sockets = []
    done["hidden_sockets"] = _hide_sockets(libc, sockets if isinstance(sockets, list) else [])
    shm = os.path.isdir("/dev/shm") and _mount(libc, "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") is None
    readonly_problem = _set_readonly(libc, "/", True, recursive=True)
    note(readonly_problem)
    done["readonly"] = readonly_problem is None
    note(_set_readonly(libc, private_dir, False, recursive=False))
    if done["own_proc"]:
        # CUDA's driver writes to the process's own /proc files when it starts and fails with
        # "Error 304: OS call failed" on a read-only /proc. This /proc is the PID namespace's
        # own; what it holds of the machine (sysctls) stays guarded by the user namespace.
        note(_set_readonly(libc, "/proc", False, recursive=False))
    if shm:
        note(_set_readonly(libc, "/dev/shm", False, recursive=False))
    if done["readonly"]:
        done["writable_folder"] = _writable_overlay(libc, os.getcwd(), private_dir)
    return done


def _writable_overlay(libc, folder: str, private_dir: str) -> bool:
    """Mount over `folder` an overlay whose writes go under `private_dir`: the folder reads as
    it is and takes writes that vanish with the check. Not where the overlay would hide a mount
    inside the folder (the private folder, /proc, a socket) or the folder's path needs escaping."""
    folder = os.path.realpath(folder)
    if folder == "/" or any(c in folder for c in ",:\\") or _inside(os.path.realpath(private_dir), folder):
        return False
    if any(_inside(point, folder) and point != folder for point, _ in _mounts()):
        return False
    for base in (os.path.join(private_dir, "folder"), None):
        if base is None:  # an upper folder the file system of /tmp does not take: a tmpfs then
            base = os.path.join(private_dir, "folder-tmpfs")
            os.makedirs(base, exist_ok=True)
            if _mount(libc, "tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700"):
                return False
        upper, work = os.path.join(base, "upper"), os.path.join(base, "work")
        os.makedirs(upper, exist_ok=True)
        os.makedirs(work, exist_ok=True)
        if _mount(libc, "overlay", folder, "overlay", 0, f"lowerdir={folder},upperdir={upper},workdir={work}") is None:
            os.chdir(folder)  # the working directory is the overlay from here on, not the folder under it
            return True
    return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _hide_sockets(libc, paths: list) -> int:
    """Mount /dev/null over each of `paths` that is a Unix socket."""
    import stat

    hidden = 0
    for path in paths[:MAX_SOCKETS]:
        try:
            if isinstance(path, str) and stat.S_ISSOCK(os.lstat(path).st_mode):
                hidden += _mount(libc, "/dev/null", path, None, MS_BIND) is None
        except OSError:
            continue  # gone, or under a covered folder
    return hidden


def _children_of(root: int) -> list[int]:
    """Every descendant of `root` (by parent pid), alive or zombie."""
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:  # no /proc (not Linux): only the driver's process group is reachable
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_everything(in_namespace: bool, deadline_s: float = 10.0) -> None:
    """Kill and reap every process below the reaper."""
    end = time.monotonic() + deadline_s
    if _driver_group:
        try:
            os.killpg(_driver_group, signal.SIGKILL)
        except OSError:
            pass
    while time.monotonic() < end:
        if in_namespace:
            try:
                os.kill(-1, signal.SIGKILL)  # as the namespace's init: everyone else in it
            except ProcessLookupError:
                pass
        else:
            for pid in _children_of(os.getpid()):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        _reap_all()
        try:
            pid, _ = os.waitpid(-1, 0)  # blocks until one more dies; ECHILD: none left
        except ChildProcessError:
            return
        except InterruptedError:
            continue


_driver_group = 0  # the driver's process group (its pid): killed first, even where /proc is missing


def main(argv: list[str]) -> int:
    global _driver_group
    mode, status_file, private_dir, parent_fd = argv[1], argv[2], argv[3], int(argv[4])
    command = argv[argv.index("--") + 1 :]
    status: dict = {"mode": mode}
    libc = _libc()
    in_namespace = mode == "namespaces" and os.getpid() == 1
    if mode == "namespaces":
        if not in_namespace:
            status["problems"] = ["not the init of a new PID namespace"]
        else:
            try:
                status.update(enter_jail(private_dir))
                if status.get("writable_folder"):
                    os.environ[FOLDER_COPY_VAR] = "1"
            except Exception as exc:  # noqa: BLE001 - reported: the check runs with what was achieved
                status["problems"] = [f"setting up the sandbox failed: {type(exc).__name__}: {exc}"]
                status["readonly"] = False
    else:
        prctl = getattr(libc, "prctl", None)  # Linux only
        if prctl is None or prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            why = os.strerror(ctypes.get_errno()) if prctl is not None else "not Linux"
            status["problems"] = [f"no child subreaper ({why}): only the check's process group is killed"]
        else:
            status["subreaper"] = True

    def write_status() -> None:
        tmp = status_file + ".part"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(status, f)
        os.replace(tmp, status_file)

    write_status()
    stop = threading.Event()

    def parent_gone() -> None:  # the parent holds the other end: end-of-file means it died or gave up
        try:
            while os.read(parent_fd, 64):
                pass
        except OSError:
            pass
        stop.set()
        kill_everything(in_namespace, deadline_s=5.0)
        os._exit(3)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: (kill_everything(in_namespace, 5.0), os._exit(3)))
    threading.Thread(target=parent_gone, daemon=True).start()
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            os.close(parent_fd)
            os.execvp(command[0], command)
        except OSError as exc:
            os.write(2, f"cannot start {command[0]}: {exc}\n".encode())
        os._exit(127)
    _driver_group = pid
    try:
        os.setpgid(pid, pid)  # also from this side: no race with a kill that comes first
    except OSError:
        pass
    while True:
        try:  # WNOWAIT: the driver stays a zombie, so its pid (and group id) cannot be reused yet
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if info is None:
            continue
        if info.si_pid == pid:
            killed = info.si_code in (os.CLD_KILLED, os.CLD_DUMPED)
            status["returncode"] = -info.si_status if killed else info.si_status
            break
        try:
            os.waitpid(info.si_pid, 0)  # an orphan that ended by itself
        except ChildProcessError:
            pass
    status["left_behind"] = sum(1 for p in _children_of(os.getpid()) if not _zombie(p))
    write_status()
    kill_everything(in_namespace)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
