"""The leader's pages: the dashboard, and the panels: make one, fill its seats, follow the
answers, mark attendance (``panel``, ``seat``).

Every write answers 403 to someone who may only read (HR) and 404 outside the user's offices.
The seat actions answer an htmx request with the seats partial (and, out of band, the
suggestions and a status message); without JavaScript the same forms post and redirect.
"""
