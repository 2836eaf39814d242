"""Worker processes that die with the process that started them.

A pool's workers wait on a queue for work; when their parent is killed with SIGKILL (an operator's
``kill -9``, the OOM killer) nothing tells them, and they, the fork server they hold open and the
resource tracker stay alive for good. :func:`die_with` is a pool ``initializer``: the worker ends
itself as soon as the given process is gone."""

import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def _exit_when_gone(pid: int):
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        # A pidfd becomes readable when the process ends (a zombie counts as ended).
        select.select([fd], [], [])
        os._exit(1)
    while alive(pid):
        time.sleep(0.5)
    os._exit(1)


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (one owned by another user counts; a zombie, which has ended
    and only waits for its parent to collect it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def die_with(pid: int):
    """Pool initializer: end this worker when process ``pid`` ends.

    When ``pid`` is the worker's own parent (a ``fork`` pool) the kernel does it (Linux
    ``PR_SET_PDEATHSIG``); a worker forked by a fork server has the fork server as parent, so a
    daemon thread watches ``pid`` instead (a pidfd on Linux, polling elsewhere)."""
    if sys.platform.startswith("linux") and os.getppid() == pid:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != pid:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except OSError:
            pass
    if not alive(pid):
        os._exit(1)
    threading.Thread(target=_exit_when_gone, args=(pid,), name="die-with-parent", daemon=True).start()
