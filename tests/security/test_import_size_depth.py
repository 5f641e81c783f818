"""import_event refuses oversized and deeply nested documents quickly, with a clear
message and never a traceback."""

import io
import json
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from workshops.models import Event
from workshops.transfer import ImportFailed, import_event

pytestmark = pytest.mark.django_db

LIMIT = 20 * 1024 * 1024  # the documented limit (docs/import-export.md)


def oversized_document(path):
    """Valid JSON, just over the limit: only its size is wrong."""
    padding = "x" * (LIMIT + 1024)
    path.write_text(json.dumps({"format": "jakres-event", "version": 1, "pad": padding}))
    return path


def test_oversized_import_document_is_refused_before_it_is_read(tmp_path):
    """A document over the size limit is refused by its size, before any parsing."""
    path = oversized_document(tmp_path / "besar.json")
    started = time.monotonic()
    with pytest.raises(CommandError) as failure:
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.monotonic() - started < 2
    message = str(failure.value)
    assert "the limit is 20 MB" in message
    assert "nothing was written" in message
    assert Event.objects.count() == 0


def test_oversized_import_document_on_standard_input_is_refused(tmp_path, monkeypatch):
    """Standard input is read no further than the size limit."""
    path = oversized_document(tmp_path / "besar.json")
    with open(path, "rb") as raw:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
        with pytest.raises(CommandError, match="the limit is 20 MB"):
            call_command("import_event", "-", stdout=io.StringIO(), stderr=io.StringIO())


def test_deeply_nested_import_document_is_a_clean_error(tmp_path):
    """A 100,000-deep [[[…]]] document is refused with a message, not a RecursionError."""
    path = tmp_path / "dalam.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    started = time.monotonic()
    with pytest.raises(CommandError) as failure:
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.monotonic() - started < 2
    assert "nested more than 20 levels deep" in str(failure.value)
    assert "nothing was written" in str(failure.value)


@pytest.mark.parametrize("depth", [21, 500])
def test_nesting_within_pythons_limits_is_refused_too(tmp_path, depth):
    """Nesting deeper than the format needs is refused even when json can parse it."""
    nested = "[" * depth + "]" * depth
    path = tmp_path / "dalam.json"
    path.write_text(f'{{"format": "jakres-event", "version": 1, "event": {{"slug": {nested}}}}}')
    with pytest.raises(CommandError, match="nested more than 20 levels deep"):
        call_command(
            "import_event", str(path), "--check", stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_deep_document_given_to_import_event_is_a_listed_error(db):
    """The Python entry point refuses deep nesting with a listed error as well."""
    document = {"format": "jakres-event", "version": 1, "event": {"slug": "x"}}
    inner = document["event"]
    for _ in range(3000):
        inner["preceded_by"] = [{}]
        inner = inner["preceded_by"][0]
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    assert failure.value.errors == ["$: the document is nested more than 20 levels deep"]


def test_document_of_countless_tiny_values_is_refused_before_parsing(tmp_path):
    """A small file of half a million empty objects is refused before parsing (it took GBs)."""
    path = tmp_path / "kecil.json"
    path.write_text(
        '{"format": "jakres-event", "version": 1, "sessions": [' + "{}," * 500_000 + "{}]}"
    )
    assert path.stat().st_size < LIMIT
    started = time.monotonic()
    with pytest.raises(CommandError) as failure:
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.monotonic() - started < 2
    assert str(failure.value) == f"{path} holds more than 500,000 values: nothing was written."


def test_document_with_too_many_list_items_is_refused_before_planning(tmp_path):
    """More list items than any event has are refused before one model object is built."""
    sessions = [{"ref": f"s{n}", "order": n} for n in range(20_001)]
    path = tmp_path / "banyak.json"
    path.write_text(json.dumps({"format": "jakres-event", "version": 1, "sessions": sessions}))
    started = time.monotonic()
    with pytest.raises(CommandError) as failure:
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.monotonic() - started < 2
    assert str(failure.value) == f"{path} holds more than 20,000 list items: nothing was written."
    with pytest.raises(ImportFailed) as listed:
        import_event({"format": "jakres-event", "version": 1, "sessions": sessions})
    assert listed.value.errors == ["$: the document holds more than 20,000 list items"]


def test_document_that_is_not_utf8_is_a_clean_error(tmp_path):
    """Bytes that are not UTF-8 give a message, not a UnicodeDecodeError traceback."""
    path = tmp_path / "latin1.json"
    path.write_bytes('{"format": "jakres-event", "x": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_event", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_real_document_still_imports_after_the_checks(workshop, tmp_path):
    """The size and depth checks leave a real event document importable."""
    out = io.StringIO()
    call_command("export_event", workshop.slug, stdout=out)
    path = tmp_path / "event.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = io.StringIO()
    call_command("import_event", str(path), stdout=result, stderr=io.StringIO())
    assert f"Imported {workshop.slug}" in result.getvalue()
