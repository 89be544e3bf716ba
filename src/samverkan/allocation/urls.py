from django.urls import path

from samverkan.allocation import api, views

urlpatterns = [
    path("", views.pool_list, name="pool-list"),
    path("pooler/ny/", views.pool_create, name="pool-create"),
    path("pooler/<int:pk>/", views.pool_detail, name="pool-detail"),
    path("pooler/<int:pk>/andra/", views.pool_edit, name="pool-edit"),
    path("medlemmar/", views.member_costs, name="member-costs"),
    path("nycklar/", views.key_list, name="key-list"),
    path("nycklar/ny/", views.key_create, name="key-create"),
    path("nycklar/<int:pk>/", views.key_detail, name="key-detail"),
    path("nycklar/<int:pk>/varden/", views.key_values, name="key-values"),
    path("nycklar/<int:pk>/komponent/", views.key_component_add, name="key-component-add"),
    path("korningar/<int:pk>/", views.run_detail, name="run-detail"),
    path("korningar/<int:pk>/godkann/", views.run_approve, name="run-approve"),
    path("korningar/<int:pk>/ta-bort/", views.run_delete, name="run-delete"),
    path("korningar/<int:pk>/export.<str:fmt>", views.run_export, name="run-export"),
    path("jamfor/", views.run_compare, name="run-compare"),
    path("beslutsunderlag/", views.decision_basis_page, name="decision-basis"),
    path("beslutsunderlag/pdf/", views.decision_basis_pdf, name="decision-basis-pdf"),
    path("snabbfordelning/", views.calculator, name="calculator"),
    path("investeringskalkyl/", views.business_case, name="business-case"),
    path("investeringskalkyler/", views.business_case_list, name="business-case-list"),
    path("investeringskalkyler/ny/", views.business_case_create, name="business-case-create"),
    path("investeringskalkyler/<int:pk>/", views.business_case_detail, name="business-case-detail"),
    path("investeringskalkyler/<int:pk>/andra/", views.business_case_edit, name="business-case-edit"),
    path("investeringskalkyler/<int:pk>/ta-bort/", views.business_case_delete, name="business-case-delete"),
    path(
        "investeringskalkyler/<int:pk>/alternativ/ny/", views.business_case_option_add, name="business-case-option-add"
    ),
    path(
        "investeringskalkyler/<int:pk>/alternativ/<int:option_pk>/ta-bort/",
        views.business_case_option_delete,
        name="business-case-option-delete",
    ),
]

api_urlpatterns = [
    path("lines/", api.ApprovedLineList.as_view(), name="line-list"),
    path("keys/", api.KeyList.as_view(), name="key-list"),
    path("keys/<int:pk>/", api.KeyDetail.as_view(), name="key-detail"),
    path("pools/", api.PoolList.as_view(), name="pool-list"),
    path("pools/<int:pk>/", api.PoolDetail.as_view(), name="pool-detail"),
    path("runs/", api.RunListCreate.as_view(), name="run-list"),
    path("runs/compare/", api.RunCompare.as_view(), name="run-compare"),
    path("runs/<int:pk>/", api.RunDetail.as_view(), name="run-detail"),
    path("runs/<int:pk>/approve/", api.RunApprove.as_view(), name="run-approve"),
    path("decision-basis/", api.DecisionBasisView.as_view(), name="decision-basis"),
    path("calculate/", api.Calculate.as_view(), name="calculate"),
    path("business-case/", api.BusinessCaseView.as_view(), name="business-case"),
    path("business-cases/", api.SavedBusinessCaseList.as_view(), name="business-case-list"),
    path("business-cases/<int:pk>/", api.SavedBusinessCaseDetail.as_view(), name="business-case-detail"),
]
