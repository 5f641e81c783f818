"""Django's error reports (DEFAULT_EXCEPTION_REPORTER: the error mails, the debug
page) without secret links (jakres/core/scrub.py): every link is scrubbed, and the
token of the request's own link wherever it appears (the resolver's and the view's
arguments, local variables)."""

from django.views.debug import ExceptionReporter

from jakres.core.scrub import scrub, secrets_in


class ScrubbingExceptionReporter(ExceptionReporter):
    def _scrub(self, text):
        path = getattr(self.request, "path", "") if self.request is not None else ""
        for token in secrets_in(path):
            text = text.replace(token, "[token]")
        return scrub(text)

    def get_traceback_html(self):
        return self._scrub(super().get_traceback_html())

    def get_traceback_text(self):
        return self._scrub(super().get_traceback_text())
