from django.contrib import admin

from samverkan.members import models

for model in (
    models.Federation,
    models.Member,
    models.MembershipPeriod,
    models.Service,
    models.HandOver,
    models.Department,
    models.Contact,
    models.MemberFigure,
):
    admin.site.register(model)
