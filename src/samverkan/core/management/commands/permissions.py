from django.core.management.base import BaseCommand

from samverkan.core.policy_matrix import markdown


class Command(BaseCommand):
    help = "Skriver behörighetsmatrisen (behörighet × roll) som Markdown, t.ex. till docs/PERMISSIONS.md."

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
