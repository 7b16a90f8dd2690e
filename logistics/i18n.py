"""Languages of the workbooks and of the messages: English (the default) and French.

Translations are gettext catalogues (``locale/<language>/LC_MESSAGES/logistics.po``, compiled to
``.mo``); ``locale/README.md`` says how to extract, update and compile them with Babel. The msgids
are the English texts, so English needs no catalogue and stays exactly as written in the code.

Two languages are in effect while a workbook is read, each in a context variable:

- the *message* language, in which problems are worded (``_``, ``ngettext``): the workbook's
  Settings ``language``, or the command line's ``--language``;
- the *names* language, in which the workbook names its sheets and columns: messages name a
  sheet or a column as the workbook does (``sheet_name``, ``column_name``).

Sheet names and column headers are catalogue entries of their own, under the message contexts
``sheet`` and ``column`` (the English name is the msgid), so that a name is translated once
and the reader, the template and the plan writer all use the same one.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import unicodedata
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

LANGUAGES = ("en", "fr")
"""Languages a workbook and its messages may be in; the first is the default."""

DEFAULT_LANGUAGE = LANGUAGES[0]
DOMAIN = "logistics"
LOCALE_DIR = Path(__file__).parent / "locale"

SHEET_CONTEXT = "sheet"
"""Message context of sheet names (``pgettext("sheet", "Routes")``)."""

COLUMN_CONTEXT = "column"
"""Message context of column headers and settings keys (``pgettext("column", "distance_km")``)."""

_message_language: ContextVar[str | None] = ContextVar("logistics_message_language", default=None)
_names_language: ContextVar[str] = ContextVar("logistics_names_language", default=DEFAULT_LANGUAGE)


def checked_language(language: str) -> str:
    """``language`` if it is one of ``LANGUAGES``, else ``ValueError``."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    return language


@functools.cache
def translator(language: str) -> gettext.NullTranslations:
    """The translations into ``language``; English is the msgids themselves."""
    if checked_language(language) == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


def chosen_language() -> str | None:
    """The message language a caller chose (``use_language``), None when none was chosen and a
    workbook's own Settings decide."""
    return _message_language.get()


def message_language() -> str:
    """The language messages are worded in now."""
    return _message_language.get() or DEFAULT_LANGUAGE


def names_language() -> str:
    """The language the workbook being read names its sheets and columns in."""
    return _names_language.get()


@contextlib.contextmanager
def use_language(messages: str | None = None, names: str | None = None) -> Iterator[None]:
    """Word messages in ``messages`` and name sheets and columns in ``names`` within the block;
    a None leaves that language as it is."""
    message_token = None if messages is None else _message_language.set(checked_language(messages))
    names_token = None if names is None else _names_language.set(checked_language(names))
    try:
        yield
    finally:
        if names_token is not None:
            _names_language.reset(names_token)
        if message_token is not None:
            _message_language.reset(message_token)


def _(message: str) -> str:
    """``message`` in the message language (``""`` stays empty: gettext would give the
    catalogue's header)."""
    return translator(message_language()).gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the message language."""
    return translator(message_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only: it is translated where it is shown, with ``_``."""
    return message


def translate(text: str, language: str, context: str | None = None) -> str:
    """``text`` (an English msgid, in ``context`` if given) in ``language``."""
    found = translator(language)
    if not text:
        return text
    return found.pgettext(context, text) if context else found.gettext(text)


def sheet_name(name: str, language: str | None = None) -> str:
    """A sheet's name (its English name given) in ``language``, default the names language.

    The plan writer names each sheet it writes with it, e.g. ``sheet_name("Convoys", "fr")``.
    """
    return translate(name, language or names_language(), SHEET_CONTEXT)


def column_name(header: str, language: str | None = None) -> str:
    """A column header or settings key (its English name given) in ``language``, default the
    names language.

    The plan writer names each column it writes with it, e.g. ``column_name("depart_day", "fr")``.
    """
    return translate(header, language or names_language(), COLUMN_CONTEXT)


def column_names(headers: Iterable[str], language: str | None = None) -> dict[str, str]:
    """Each of ``headers`` (English) by its name in ``language``, default the names language:
    the ``headers`` a table is written with (``xlsx.write_table``)."""
    return {header: column_name(header, language) for header in headers}


def settings_names(*keys: str) -> dict[str, str]:
    """The Settings sheet's name and the given keys as the workbook names them, by English name
    (``{"settings": "Paramètres", "start_date": "date_debut"}``): the fields of a message."""
    return {"settings": sheet_name("Settings"), **{key: column_name(key) for key in keys}}


def fold(text: str) -> str:
    """A name as compared when read: trimmed, any case, accents ignored (``Itinéraires`` and
    ``itineraires`` are one name)."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def names_by_fold(english: Iterable[str], language: str, context: str) -> dict[str, str]:
    """The English name of each of ``english``, keyed by its folded name in ``language``."""
    return {fold(translate(name, language, context)): name for name in english}
