"""Facts that only the addon's own server code can state while it runs: what kind of text
it is sending, how consent it records was given, that a write is its own. They live in a
context variable of the running code, not in Odoo's context, which every caller controls."""

import contextlib
import contextvars


class ServerFlag:
    def __init__(self, name, default=None):
        self._var = contextvars.ContextVar(name, default=default)

    def get(self):
        return self._var.get()

    @contextlib.contextmanager
    def set(self, value):
        """``value`` holds inside the ``with`` block only."""
        token = self._var.set(value)
        try:
            yield
        finally:
            self._var.reset(token)
