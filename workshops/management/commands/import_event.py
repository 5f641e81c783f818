import os
import sys

from django.core.management import BaseCommand, CommandError

from jakres.core.cache import CacheUnavailable
from jakres.core.database import analyze
from workshops.transfer import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    ImportFailed,
    import_event,
    read_event_document,
    validate_event_document,
)

LIMIT = f"{MAX_DOCUMENT_BYTES // 2**20} MB"


class Command(BaseCommand):
    help = (
        "Create or replace one event from a JSON document made by export_event. "
        "Everything is checked first; every error is listed with its path in the "
        "document, and then nothing is written. Otherwise all is written in one transaction. "
        "Organisations, sectors, people and focus areas already on this server are matched "
        "by natural key and left unchanged unless --update-shared is given. "
        f"A document may be at most {LIMIT}, nested at most {MAX_DEPTH} levels deep "
        "(docs/import-export.md lists every limit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON document, or - for standard input")
        parser.add_argument("--check", action="store_true", help="only validate; write nothing")
        parser.add_argument(
            "--update-shared",
            action="store_true",
            help="also update the organisations, sectors, people and focus areas that are "
            "already on this server from the document (by default they are left as they are, "
            "and only missing ones are created)",
        )

    def handle(self, *args, file, check=False, update_shared=False, **options):
        document = self._read(file)

        if check:
            errors, warnings = validate_event_document(document, update_shared=update_shared)
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
                document,
                progress=progress,
                comment=f"Imported from {file}",
                update_shared=update_shared,
            )
        except ImportFailed as failure:
            self._report(failure.errors, [])
            raise CommandError(f"{len(failure.errors)} error(s); nothing was written.") from None
        except CacheUnavailable:
            raise CommandError(
                "The page cache (Redis) does not answer, so the public pages could not be "
                "refreshed: nothing was written. Import again when it answers."
            ) from None
        self._report([], warnings)
        analyze()  # the planner's statistics, for the rows just written
        self.stdout.write(
            self.style.SUCCESS(f"Imported {event.slug} ({event.get_status_display()}).")
        )

    def _read(self, file):
        """The parsed document, or a CommandError saying why it cannot be read."""
        nothing = "nothing was written."
        try:
            if file == "-":
                stream = getattr(sys.stdin, "buffer", sys.stdin)
                raw = stream.read(MAX_DOCUMENT_BYTES + 1)
            else:
                with open(file, "rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    if size > MAX_DOCUMENT_BYTES:  # refused before a byte is read
                        raise CommandError(
                            f"{file} is {size / 2**20:.1f} MB; the limit is {LIMIT}: {nothing}"
                        )
                    raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogatepass")
        try:
            return read_event_document(raw)
        except DocumentRefused as refused:
            raise CommandError(f"{file} {refused}: {nothing}") from None

    def _report(self, errors, warnings):
        for line in warnings:
            self.stderr.write(f"warning: {line}")
        for line in errors:
            self.stderr.write(f"error: {line}")
