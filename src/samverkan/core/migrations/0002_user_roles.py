import django.db.models.deletion
import samverkan.core.models
from django.conf import settings
from django.db import migrations, models


def copy_roles(apps, schema_editor):
    """Each user's one role becomes a row of the role table; nothing else changes."""
    User = apps.get_model("core", "User")
    UserRole = apps.get_model("core", "UserRole")
    UserRole.objects.bulk_create(
        UserRole(user_id=pk, role=role) for pk, role in User.objects.exclude(role="").values_list("pk", "role")
    )


def copy_roles_back(apps, schema_editor):
    """Going back keeps one role per user: the first by the order roles were declared."""
    User = apps.get_model("core", "User")
    order = ["admin", "economist", "agent", "board", "member_contact", "orderer"]
    for user in User.objects.prefetch_related("role_grants"):
        held = {grant.role for grant in user.role_grants.all()}
        user.role = next((r for r in order if r in held), "")
        user.save(update_fields=["role"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='UserRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('admin', 'Förbundsadministratör'), ('agent', 'Handläggare kundtjänst/IT'), ('economist', 'Ekonom'), ('member_contact', 'Medlemskontakt'), ('orderer', 'Beställare på förvaltning'), ('board', 'Direktionsledamot')], max_length=20, verbose_name='roll')),
            ],
        ),
        migrations.AlterModelOptions(
            name='user',
            options={'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', samverkan.core.models.UserManager()),
            ],
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='member_contact_has_member',
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='orderer_has_department',
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='role_needs_federation',
        ),
        migrations.AddField(
            model_name='user',
            name='is_system',
            field=models.BooleanField(default=False, editable=False, verbose_name='systemaktör'),
        ),
        migrations.AddField(
            model_name='userrole',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_grants', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(copy_roles, copy_roles_back),
        migrations.RemoveField(
            model_name='user',
            name='role',
        ),
        migrations.AddConstraint(
            model_name='userrole',
            constraint=models.UniqueConstraint(fields=('user', 'role'), name='user_role_once'),
        ),
    ]
