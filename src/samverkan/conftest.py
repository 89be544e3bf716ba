import pytest

from samverkan.testing import make_world


def pytest_configure(config):
    from django.conf import settings

    # Tests create many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, in the test's own transaction (core.jobs; tests of the database
    # queue and its worker switch back with the `settings` fixture).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(autouse=True)
def swedish():
    """Every test starts in Swedish, whatever language an earlier test in the process left active."""
    from django.utils import translation

    with translation.override("sv"):
        yield
