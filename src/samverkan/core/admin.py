"""Django admin for the platform operator (superuser) only; federations use the product's pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from samverkan.core.models import AuditEvent, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class SamverkanUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Samverkan", {"fields": ("federation", "member", "department")}))
    list_display = ("username", "email", "federation", "is_active", "is_system")
    list_filter = ("federation", "role_grants__role", "is_active")
    inlines = [UserRoleInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_repr", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
