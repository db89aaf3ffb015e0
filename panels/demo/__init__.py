"""Demo data for ``make run`` and the end-to-end tests (``seed.seed_demo``), and the names the
benchmark's larger data set draws from (``names``)."""
