"""Names the dead-code check (vulture, run by bin/test) cannot see being used: each is
reached by name from outside Python (templates, settings strings, URL confs, entry points)."""
