import json
import sys

from django.core.management import BaseCommand, CommandError

from workshops.transfer import ImportFailed, import_event, validate_event_document


class Command(BaseCommand):
    help = (
        "Create or replace one event from a JSON document made by export_event. "
        "Everything is checked first; every error is listed with its path in the "
        "document, and then nothing is written. Otherwise all is written in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON document, or - for standard input")
        parser.add_argument("--check", action="store_true", help="only validate; write nothing")

    def handle(self, *args, file, check=False, **options):
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from error

        if check:
            errors, warnings = validate_event_document(document)
            self._report(errors, warnings)
            if errors:
                raise CommandError(f"{len(errors)} error(s); nothing was written.")
            self.stdout.write(self.style.SUCCESS("The document is valid."))
            return

        verbosity = options["verbosity"]

        def progress(done, total, label):
            if verbosity >= 1 and (done == total or done % 10 == 0):
                self.stdout.write(f"[{done}/{total}] {label}")

        try:
            event, warnings = import_event(
                document, progress=progress, comment=f"Imported from {file}"
            )
        except ImportFailed as failure:
            self._report(failure.errors, [])
            raise CommandError(f"{len(failure.errors)} error(s); nothing was written.") from None
        self._report([], warnings)
        self.stdout.write(
            self.style.SUCCESS(f"Imported {event.slug} ({event.get_status_display()}).")
        )

    def _report(self, errors, warnings):
        for line in warnings:
            self.stderr.write(f"warning: {line}")
        for line in errors:
            self.stderr.write(f"error: {line}")
