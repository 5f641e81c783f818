"""Django's error reports (DEFAULT_EXCEPTION_REPORTER: the error mails, the debug
page) without secret links (jakres/core/scrub.py)."""

from django.views.debug import ExceptionReporter

from jakres.core.scrub import scrub


class ScrubbingExceptionReporter(ExceptionReporter):
    def get_traceback_html(self):
        return scrub(super().get_traceback_html())

    def get_traceback_text(self):
        return scrub(super().get_traceback_text())
