import pytest
from recruit_sms_tools import candidate_import as ci


def headers_of(*headers):
    """The mapping of ``headers`` over one row with a value in every column."""
    return ci.map_headers(list(headers), [["x"] * len(headers)])


def test_headers_are_recognised_by_their_synonyms():
    mapping, problems = headers_of("Given name", "Surname", "Mobile", "E-mail", "Job title", "SMS opt-in", "Tags")
    assert mapping == {"first_name": 0, "last_name": 1, "phone": 2, "email": 3, "job": 4, "consent": 5, "tags": 6}
    assert problems == []
    mapping, _problems = headers_of(" CELL_PHONE ", "Full Name")
    assert mapping == {"phone": 0, "name": 1}


def test_header_problems_name_the_column():
    _mapping, problems = ci.map_headers(
        ["Name", "Phone", "Favourite colour", "Mobile", "Email", "", "Source"],
        [["Ann", "+14155550142", "blue", "+14155550143", "", "stray", ""],
         ["Bob", "", "red", "", "", "", "", "extra"]])
    assert problems == [
        ci.HeaderProblem(ci.UNKNOWN, "Favourite colour"),
        ci.HeaderProblem(ci.DUPLICATED, "Mobile", "Phone"),
        ci.HeaderProblem(ci.EMPTY_COLUMN, "Email"),
        ci.HeaderProblem(ci.NO_HEADER, "#6"),
        ci.HeaderProblem(ci.EMPTY_COLUMN, "Source"),
        ci.HeaderProblem(ci.NO_HEADER, "#8"),
    ]


def test_missing_required_columns():
    _mapping, problems = headers_of("Job", "Tags")
    assert [(p.kind, p.column) for p in problems] == [(ci.MISSING, "name"), (ci.MISSING, "phone")]
    _mapping, problems = headers_of("Last name", "Email")
    assert problems == [], "a last name alone names the candidate; an email alone reaches them"


def test_rows_read_numbers_in_the_rows_or_the_files_country():
    mapping, _problems = headers_of("First name", "Last name", "Phone", "Country", "Consent", "Tags")
    us = ci.read_row(mapping, ["Ann", "Lee", "(415) 555-0142", "", "Yes", "night; forklift"], 2, "US")
    assert (us.name, us.number, us.consent, us.tags, us.skip) == ("Ann Lee", "+14155550142", True,
                                                                  ["night", "forklift"], "")
    be = ci.read_row(mapping, ["Bo", "", "0470 12 34 56", "Belgium", "no", ""], 3, "US", {"belgium": "BE"})
    assert (be.name, be.number, be.consent) == ("Bo", "+32470123456", False)
    coded = ci.read_row(mapping, ["Cy", "", "0470 12 34 56", "BE", "", ""], 4, "US")
    assert coded.number == "+32470123456"
    international = ci.read_row(mapping, ["Di", "", "+44 20 7946 0958", "", "", ""], 5, None)
    assert international.number == "+442079460958"


def test_rows_skipped_with_their_reason():
    mapping, _problems = headers_of("Name", "Phone", "Email")
    assert ci.read_row(mapping, ["", "+14155550142", ""], 2, "US").skip == ci.NO_NAME
    assert ci.read_row(mapping, ["Ann", "", ""], 3, "US").skip == ci.NO_CONTACT
    invalid = ci.read_row(mapping, ["Ann", "555-01", ""], 4, "US")
    assert (invalid.skip, invalid.skip_detail) == (ci.INVALID_NUMBER, "not a valid number for its country")
    national = ci.read_row(mapping, ["Ann", "415 555 0142", ""], 5, None)
    assert national.skip == ci.INVALID_NUMBER
    assert "needs a country" in national.skip_detail
    email_only = ci.read_row(mapping, ["Ann", "", " Ann@Example.com "], 6, "US")
    assert (email_only.email, email_only.number, email_only.skip) == ("ann@example.com", "", "")
    short = ci.read_row(mapping, ["Ann"], 7, "US")
    assert short.skip == ci.NO_CONTACT, "a row shorter than the header"


@pytest.mark.parametrize(("row", "known", "same"), [
    (("Owen Hill", ""), ("Owen Hill", ""), True),
    (("owen  hill", ""), ("Owen Hill", "owen@example.com"), True),  # one email only: the names decide
    (("Owen R. Hill", ""), ("Owen Hill", ""), True),  # a middle initial
    (("Zoë Ménard", ""), ("Zoe Menard", ""), True),  # accents
    (("Umar Farouk", ""), ("Owen Hill", ""), False),
    (("Ann Hill", ""), ("Owen Hill", ""), False),  # a family's phone
    (("Owen Hill", "umar@example.com"), ("Owen Hill", "owen@example.com"), False),  # two emails: they decide
    (("Umar Farouk", "Owen@Example.com"), ("Owen Hill", "owen@example.com"), True),
    (("", ""), ("Owen Hill", ""), False),
])
def test_a_shared_number_is_one_person_only_when_the_row_says_so(row, known, same):
    assert ci.same_person(*row, *known) is same


def test_other_columns_are_found_and_kept_with_the_row():
    headers = ["Name", "Mobile", "Notes", "", "Status"]
    assert ci.unknown_columns(headers) == [(2, "Notes"), (4, "Status")]
    mapping, _problems = ci.map_headers(headers, [["Bea", "+14155550160", "Nights", "", ""]])
    row = ci.read_row(mapping, ["Bea", "+14155550160", "Nights", "", ""], 2, extra_columns=ci.unknown_columns(headers))
    assert row.extras == [("Notes", "Nights")]
