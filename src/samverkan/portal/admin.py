"""Desk settings in the Django admin (platform staff): teams, categories, closed days, SLA targets."""

from django.contrib import admin

from samverkan.portal.models import Category, ClosedDay, SlaTargetSetting, StandardText, Team


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "federation", "opens", "closes"]
    list_filter = ["federation"]
    inlines = [CategoryInline]


@admin.register(SlaTargetSetting)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["federation", "team", "priority", "response_minutes", "resolution_minutes"]
    list_filter = ["federation", "team"]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["federation", "day", "reason"]
    list_filter = ["federation"]


@admin.register(StandardText)
class StandardTextAdmin(admin.ModelAdmin):
    list_display = ["title", "federation", "team", "active"]
    list_filter = ["federation", "active"]
