"""Routes of governance: each view and API module declares its own `urlpatterns`; this joins them."""

from samverkan.governance.api import agreements as agreements_api
from samverkan.governance.api import bodies as bodies_api
from samverkan.governance.api import cases as cases_api
from samverkan.governance.api import meetings as meetings_api
from samverkan.governance.api import minutes as minutes_api
from samverkan.governance.api import records as records_api
from samverkan.governance.views import agreements, bodies, cases, meetings, minutes, overview, records

urlpatterns = [
    *overview.urlpatterns,
    *bodies.urlpatterns,
    *cases.urlpatterns,
    *meetings.urlpatterns,
    *minutes.urlpatterns,
    *agreements.urlpatterns,
    *records.urlpatterns,
]

api_urlpatterns = [
    *bodies_api.urlpatterns,
    *cases_api.urlpatterns,
    *meetings_api.urlpatterns,
    *minutes_api.urlpatterns,
    *agreements_api.urlpatterns,
    *records_api.urlpatterns,
]
