"""Routes of performance: each view and API module declares its own `urlpatterns`; this joins them."""

from samverkan.performance.api import annual as annual_api
from samverkan.performance.api import board as board_api
from samverkan.performance.api import goals as goals_api
from samverkan.performance.api import staff as staff_api
from samverkan.performance.api import survey as survey_api
from samverkan.performance.views import annual, board, goals, staff, survey

urlpatterns = [
    *board.urlpatterns,
    *goals.urlpatterns,
    *staff.urlpatterns,
    *survey.urlpatterns,
    *annual.urlpatterns,
]

api_urlpatterns = [
    *goals_api.urlpatterns,
    *staff_api.urlpatterns,
    *survey_api.urlpatterns,
    *board_api.urlpatterns,
    *annual_api.urlpatterns,
]
