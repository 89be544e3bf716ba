"""Database sessions that ignore a session cookie which Django itself could never have issued.

Django's keys are 32 characters of [a-z0-9], but the stock store accepts any cookie of eight
characters or more and looks it up; a NUL byte in that lookup is a DataError on PostgreSQL,
so a forged cookie turned every request into a 500. A malformed key is now simply no session
(anonymous), exactly like an unknown one.
"""

from __future__ import annotations

import string

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and len(key) <= 40 and set(key) <= KEY_CHARACTERS
