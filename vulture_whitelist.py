"""Names the dead-code check (vulture, in bin/test) cannot see being used. Each is reached from
outside our Python: settings strings, Django/DRF protocols, getattr dispatch, migrations, or it
is a reference the tests hold the product against. Keep this list short; delete dead code instead."""

# Named in settings.py (AUTHENTICATION_BACKENDS, MIDDLEWARE, context processors, DRF defaults).
ThrottledModelBackend  # noqa
FederationOIDCBackend  # noqa
OIDCCallbackView  # noqa
login_failure  # noqa  (mozilla-django-oidc hook)
navigation  # noqa
RejectNulBytesMiddleware  # noqa
ChosenLanguageMiddleware  # noqa
HasCapability  # noqa
InboundKeyScheme  # noqa  (drf-spectacular finds its extensions by subclassing)
has_next, has_previous, next_page_number, previous_page_number  # noqa  (Django's page protocol, read by templates)
prepare_value  # noqa  (Django form field hook)

# Reached through getattr: `samverkan billing <action>` calls do_<action>.
do_run, do_invoices, do_export_peppol, do_export_pdf, do_export_sie, do_export_xlsx, do_validate, do_pdf_batch  # noqa

# Used by a data migration (migrations are not scanned).
load_keyed  # noqa

# References the tests check the product against: the streaming reader and DuckDB paths must agree
# with these plain-Python versions, and SLA due times with the minute count.
summarize, group_stats, archived_calls  # noqa
business_minutes_between, minutes_per_day, periods_in_year, contains  # noqa
random_calls, csv_lines  # noqa  (synthetic call data for tests and benchmarks)

# Run by hand to rewrite the demo's staff files (performance/data/lystkom_staff_*.csv); a test
# checks the committed files are what it writes.
write_files  # noqa

# Job kinds: registered by @jobs.job_kind and called by core.jobs by their kind's name (T2's imports).
import_register, sie_import, import_population, import_staff  # noqa
