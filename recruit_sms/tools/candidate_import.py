"""Reading a spreadsheet of candidates: which column is what, what is wrong with the
headers, and what each row says.

Columns are recognised by their header, with the synonyms spreadsheets from job boards
and other applicant tracking systems use ("Mobile", "Cell", "E-mail", "Given name"...).
Header problems are found before anything is written, each naming the column. Rows are
read as written: phone numbers are normalised to E.164 here, in the row's country or the
file's; deciding what a row does to the database (create, update, skip) is the model's.
"""

import re
from dataclasses import dataclass, field

from . import phone
from .intent import plain

FIELDS = {
    "name": ("name", "full name", "candidate", "candidate name", "applicant", "applicant name", "contact",
             "contact name"),
    "first_name": ("first name", "firstname", "given name", "first", "forename"),
    "last_name": ("last name", "lastname", "surname", "family name", "last"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone",
              "telephone", "tel", "sms", "number"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "job": ("job", "job position", "position", "role", "job title", "vacancy", "requisition"),
    "source": ("source", "origin", "channel", "how did you hear about us"),
    "consent": ("consent", "sms consent", "text consent", "opt in", "opt-in", "sms opt in", "agreed to sms",
                "texting consent"),
    "tags": ("tags", "tag", "labels", "skills"),
    "country": ("country", "country code"),
}
YES = frozenset({"yes", "y", "true", "1", "x", "oui", "ja", "si", "sí", "agreed", "opted in"})

# header problems
UNKNOWN = "unknown"
DUPLICATED = "duplicated"
MISSING = "missing"
EMPTY_COLUMN = "empty_column"
NO_HEADER = "no_header"

# why a row is skipped (before the database is asked)
NO_NAME = "no_name"
NO_CONTACT = "no_contact"
INVALID_NUMBER = "invalid_number"


@dataclass(frozen=True)
class HeaderProblem:
    kind: str
    column: str  # as written in the file ("" for a column without header: its position)
    detail: str = ""


@dataclass
class Row:
    line: int  # in the file, the header being line 1
    name: str = ""
    email: str = ""
    phone_raw: str = ""
    number: str = ""  # E.164, when the phone could be read
    job: str = ""
    source: str = ""
    consent: bool = False
    tags: list = field(default_factory=list)
    skip: str = ""  # one of the reasons above, empty when the row can be imported
    skip_detail: str = ""
    extras: list = field(default_factory=list)  # (header, value) of the columns no field takes


def normalize_header(header):
    return re.sub(r"[\s_.\-]+", " ", (header or "").strip().lower()).strip()


_SYNONYMS = {normalize_header(synonym): name for name, synonyms in FIELDS.items() for synonym in synonyms}


def map_headers(headers, rows):
    """({field: column index}, [HeaderProblem]) for a file's ``headers`` and data ``rows``."""
    mapping, problems = {}, []
    for index, header in enumerate(headers):
        written = (header or "").strip()
        if not written:
            if any(index < len(row) and (row[index] or "").strip() for row in rows):
                problems.append(HeaderProblem(NO_HEADER, f"#{index + 1}"))
            continue
        name = _SYNONYMS.get(normalize_header(written))
        if not name:
            problems.append(HeaderProblem(UNKNOWN, written))
            continue
        if name in mapping:
            problems.append(HeaderProblem(DUPLICATED, written, headers[mapping[name]].strip()))
            continue
        mapping[name] = index
        if rows and not any(index < len(row) and (row[index] or "").strip() for row in rows):
            problems.append(HeaderProblem(EMPTY_COLUMN, written))
    widest = max((len(row) for row in rows), default=0)
    for index in range(len(headers), widest):
        if any(index < len(row) and (row[index] or "").strip() for row in rows):
            problems.append(HeaderProblem(NO_HEADER, f"#{index + 1}"))
    if "name" not in mapping and "first_name" not in mapping and "last_name" not in mapping:
        problems.append(HeaderProblem(MISSING, "name", "name, or first name and last name"))
    if "phone" not in mapping and "email" not in mapping:
        problems.append(HeaderProblem(MISSING, "phone", "phone or email"))
    return mapping, problems


def unknown_columns(headers):
    """(index, header) of the named columns no field takes (Notes, Status...)."""
    return [(index, header.strip()) for index, header in enumerate(headers)
            if (header or "").strip() and normalize_header(header) not in _SYNONYMS]


def read_row(mapping, cells, line, default_country=None, countries=None, *, extra_columns=()):
    """The :class:`Row` that ``cells`` (a data row) says. ``countries`` maps a country
    column's values (names or codes, lower case) to ISO codes; ``extra_columns``: the
    (index, header) whose non-empty values the row keeps as its ``extras``."""

    def cell(name):
        index = mapping.get(name)
        return (cells[index] or "").strip() if index is not None and index < len(cells) else ""

    name = cell("name") or " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
    row = Row(line=line, name=name, email=cell("email").lower(), phone_raw=cell("phone"), job=cell("job"),
              source=cell("source"), consent=cell("consent").lower() in YES,
              tags=[tag.strip() for tag in re.split(r"[,;|]", cell("tags")) if tag.strip()])
    row.extras = [(header, (cells[index] or "").strip()) for index, header in extra_columns
                  if index < len(cells) and (cells[index] or "").strip()]
    country = cell("country")
    country = (countries or {}).get(country.lower(), country if len(country) == 2 else "") or default_country
    if not row.name:
        row.skip = NO_NAME
    elif not row.phone_raw and not row.email:
        row.skip = NO_CONTACT
    elif row.phone_raw:
        try:
            row.number = phone.to_e164(row.phone_raw, country)
        except phone.PhoneError as error:
            row.skip, row.skip_detail = INVALID_NUMBER, phone.REASONS[error.reason]
    return row


def _name_words(name):
    return [word for word in re.split(r"[^\w]+", plain(name)) if len(word) > 1]


def same_person(name, email, known_name, known_email):
    """Whether a row (``name``, ``email``) and a known applicant holding the same number
    are one person: the same email when both have one, else the same first and last
    names (a middle name or an initial may differ). A number is shared by families and
    reassigned by carriers: it alone never makes two people one."""
    if email and known_email:
        return email.strip().lower() == known_email.strip().lower()
    words, known = _name_words(name), _name_words(known_name)
    if not words or not known:
        return False
    return (words[0], words[-1]) == (known[0], known[-1]) or words == known
