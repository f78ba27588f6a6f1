"""Run a test action in a forked process: a hang guard, and a way to drop root's privileges."""

from __future__ import annotations

import multiprocessing
import os
import traceback

NOBODY = 65534


def _child(queue, action, unprivileged):
    try:
        if unprivileged and os.geteuid() == 0:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        action()
        queue.put(None)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        queue.put((exc, traceback.format_exc()))


def run_forked(action, *, timeout: float, unprivileged: bool = False):
    """None if ``action`` returned, else (exception, traceback text); 'hang' past ``timeout`` seconds.

    With ``unprivileged``, a root test process runs the action as user nobody, so that
    permission checks apply (root reads every file).
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, action, unprivileged))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return "hang"
    return queue.get(timeout=5)
