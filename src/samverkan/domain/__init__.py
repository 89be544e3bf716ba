"""Pure business math: no Django, no I/O. Every function here is typed and testable alone."""
