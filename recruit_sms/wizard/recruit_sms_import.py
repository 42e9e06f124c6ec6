import base64
import csv
import io
import logging
import zipfile

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import email_normalize

from ..models.hr_applicant import consent_source
from ..tools import candidate_import as rules
from ..tools.csv_safe import Writer
from .recruit_sms_import_line import RESULTS

_logger = logging.getLogger(__name__)

# new applicants created per batch: one savepoint each, row by row only when a batch fails
CREATE_BATCH = 500
# files longer than this many rows (system parameter recruit_sms.import_queue_above) are
# imported in the background, this many rows per commit
IMPORT_QUEUE_ABOVE = 2000
QUEUE_CHUNK = 1000
# what one file may hold: a file is read before anything is imported, so its size is
# bounded before it is decoded (a 1.5 KB XLSX may declare a million empty columns)
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what an XLSX's zip may unpack to
MAX_LINE = 100_000  # characters in one line of a CSV: a hundred columns of a thousand


class RecruitSmsImport(models.TransientModel):
    """Import candidates from a spreadsheet (CSV or XLSX): one applicant per row, matched
    to an existing application by email or E.164 number so that a file imported twice
    creates nobody twice, with a result per row that can be downloaded."""

    _name = "recruit.sms.import"
    # kept a week, not Odoo's hour for wizards: a queued file waits for the cron, a stopped
    # one for Resume, and the results for their download
    _transient_max_hours = 24 * 7
    _description = "Import candidates"

    data_file = fields.Binary("File", required=True, help="CSV (UTF-8, comma or semicolon) or XLSX, headers on the first line.")
    filename = fields.Char()
    country_id = fields.Many2one("res.country", "Country of national numbers", default=lambda self: self.env.company.country_id,
                                 help="Numbers written without +country code are read in this country, unless the row has a "
                                      "Country column.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    job_id = fields.Many2one("hr.job", "Job position", help="For every row without a Job column.")
    source_id = fields.Many2one("utm.source", help="For every row without a Source column.")
    duplicates = fields.Selection(
        [("update", "Update the existing application"), ("new", "Create a new application for the job position")],
        "Already an applicant", required=True, default="update",
        help="Same email, or same phone number once normalised: update that application, never duplicate it; or apply "
             "them to the job position chosen above as well.")
    consent_evidence = fields.Char(
        "How they agreed to texts",
        help="Say how the people marked yes in the Consent column agreed to be texted (e.g. 'Job fair sign-up sheet, "
             "March'). Without it, the Consent column is ignored: consent is evidence.")
    all_or_nothing = fields.Boolean("Import nothing if a row cannot be", help="Import nothing if any row cannot be imported.")
    unknown_columns = fields.Selection(
        [("note", "Keep them in the applicant's note"), ("ignore", "Ignore them"), ("refuse", "Refuse the file")],
        "Other columns", required=True, default="note",
        help="Columns no field takes (Notes, Comments, Status...): their values go in each new applicant's note "
             "('Status: interviewed'), are left out, or stop the import so the file can be fixed.")
    other_columns = fields.Char("Columns not imported as fields", readonly=True,
                                help="The file's other columns, and what was done with them.")
    state = fields.Selection([("draft", "Draft"), ("queued", "Importing"), ("done", "Done"), ("failed", "Failed")],
                             default="draft",
                             required=True)
    failure_reason = fields.Char(readonly=True, help="Why a background import stopped; the rows before it are kept.")
    rows_total = fields.Integer(readonly=True)
    rows_done = fields.Integer(readonly=True)
    progress = fields.Float(compute="_compute_progress")
    line_ids = fields.One2many("recruit.sms.import.line", "import_id", "Results")
    count_created = fields.Integer(compute="_compute_counts")
    count_updated = fields.Integer(compute="_compute_counts")
    count_skipped = fields.Integer(compute="_compute_counts")
    count_review = fields.Integer(compute="_compute_counts")

    @api.depends("rows_total", "rows_done")
    def _compute_progress(self):
        for wizard in self:
            wizard.progress = 100.0 * wizard.rows_done / wizard.rows_total if wizard.rows_total else 0.0

    @api.depends("line_ids.result")
    def _compute_counts(self):
        for wizard in self:
            results = wizard.line_ids.mapped("result")
            wizard.count_created = results.count("created")
            wizard.count_updated = results.count("updated")
            wizard.count_skipped = results.count("skipped")
            wizard.count_review = results.count("review")

    # ------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------

    def _read_table(self):
        """(headers, rows) of the file, as strings, read a row at a time up to MAX_ROWS
        rows of MAX_COLUMNS columns."""
        data = self.data_file or b""
        if len(data) * 3 // 4 > MAX_FILE_BYTES:  # base64: three bytes every four characters
            raise UserError(self.env._(
                "File: it is larger than %(size)s MB; split it into several files.", size=MAX_FILE_BYTES // 2 ** 20))
        content = base64.b64decode(data)
        name = (self.filename or "").lower()
        rows = self._read_xlsx(content) if name.endswith(".xlsx") else self._read_csv(content)
        table = []
        for row in rows:
            if len(table) > MAX_ROWS:
                raise UserError(self.env._(
                    "File: it has more than %(rows)s lines; split it into several files.", rows=MAX_ROWS))
            if len(row) > MAX_COLUMNS and any((cell or "").strip() for cell in row[MAX_COLUMNS:]):
                raise UserError(self.env._(
                    "File: it has more than %(columns)s columns; keep the candidates' columns only.", columns=MAX_COLUMNS))
            if any((cell or "").strip() for cell in row[:MAX_COLUMNS]):
                table.append(row[:MAX_COLUMNS])
        if not table:
            raise UserError(self.env._("File: it is empty. Put the headers on the first line, then one candidate a line."))
        return table[0], table[1:]

    def _read_xlsx(self, content):
        """The rows of an XLSX file's first sheet. Its declared size is not believed: the
        rows are read as they come, up to the last cell each has."""
        try:
            import openpyxl  # Odoo's requirements bring it; only XLSX files need it

            # a zip's members may unpack to far more than the file: their declared sizes first
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise UserError(self.env._(
                    "File: it unpacks to more than %(size)s MB; split it into several files.",
                    size=MAX_UNPACKED_BYTES // 2 ** 20))
            sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            sheet.reset_dimensions()  # else every row is padded to the <dimension> the file claims
            for count, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)):
                if count > MAX_ROWS + 1:
                    raise UserError(self.env._(
                        "File: it has more than %(rows)s lines; split it into several files.", rows=MAX_ROWS))
                yield ["" if value is None else str(value).replace("\x00", "") for value in row]
        except UserError:
            raise
        except Exception as error:
            raise UserError(self.env._("File: this is not a readable XLSX file (%(error)s). Save it again as XLSX or "
                                       "CSV.", error=str(error)[:200])) from error

    def _read_csv(self, content):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(self.env._("File: the CSV is not UTF-8. Save it again as 'CSV UTF-8'.")) from error
        longest = max((len(line) for line in text.splitlines()), default=0)
        if longest > MAX_LINE:
            raise UserError(self.env._(
                "File: a line is longer than %(size)s characters; this is not a file of candidates.", size=MAX_LINE))
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise UserError(self.env._(
                "File: line %(line)s contains a NUL character, which a CSV file cannot hold; save the file again as "
                "'CSV UTF-8'.", line=line))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            yield from csv.reader(io.StringIO(text), dialect)
        except csv.Error as error:
            raise UserError(self.env._("File: this is not a readable CSV file (%(error)s). Save it again as 'CSV UTF-8'.",
                                       error=error)) from error

    def _header_errors(self, problems):
        texts = {
            rules.UNKNOWN: lambda p: self.env._(
                "Column '%(column)s' is not known: rename it (name, first name, last name, phone, email, job, source, "
                "consent, tags, country) or remove it.", column=p.column),
            rules.DUPLICATED: lambda p: self.env._(
                "Column '%(column)s' says the same as '%(other)s': keep one of them.", column=p.column, other=p.detail),
            rules.MISSING: lambda p: self.env._("A column is missing: the file needs %(what)s.", what=p.detail),
            rules.EMPTY_COLUMN: lambda p: self.env._(
                "Column '%(column)s' has a header but no data: fill it or remove it.", column=p.column),
            rules.NO_HEADER: lambda p: self.env._(
                "Column %(column)s has data but no header: name it or remove it.", column=p.column),
        }
        return [texts[problem.kind](problem) for problem in problems]

    # ------------------------------------------------------------
    # Importing
    # ------------------------------------------------------------

    def action_import(self):
        self.ensure_one()
        self.env["hr.applicant"].check_access("create")
        if self.state != "draft":
            raise UserError(self.env._(
                "This file is imported or being imported already: open Import candidates again for another file."))
        headers, table = self._read_table()
        mapping, problems = rules.map_headers(headers, table)
        others = rules.unknown_columns(headers)
        if self.unknown_columns != "refuse":
            problems = [problem for problem in problems if problem.kind != rules.UNKNOWN]
        if others and self.unknown_columns != "refuse":
            names = ", ".join(header for _index, header in others)
            self.other_columns = self.env._("%(columns)s: in each new applicant's note", columns=names) \
                if self.unknown_columns == "note" else self.env._("%(columns)s: ignored", columns=names)
        consent = mapping.get("consent")
        if consent is not None and not (self.consent_evidence or "").strip() and any(
                consent < len(cells) and (cells[consent] or "").strip().lower() in rules.YES for cells in table):
            # consent is evidence: a yes without how it was given is said, not dropped silently
            raise UserError(self.env._(
                "Nothing was imported. The Consent column says yes for some candidates, but How they agreed to texts "
                "is empty: say how they agreed (e.g. 'Job fair sign-up sheet, March'), or remove the column to import "
                "them without consent."))
        if problems:
            raise UserError(self.env._("Nothing was imported. Fix the file's headers and import it again:\n%(problems)s",
                                       problems="\n".join(f"- {text}" for text in self._header_errors(problems))))
        threshold = int(self.env["ir.config_parameter"].sudo().get_param("recruit_sms.import_queue_above",
                                                                         IMPORT_QUEUE_ABOVE))
        if len(table) > threshold:
            # a large file goes in the background: the browser is not held, the importer
            # gets an email with the results
            self.write({"state": "queued", "rows_total": len(table), "rows_done": 0})
            self.env.ref("recruit_sms.ir_cron_recruit_sms_import").sudo()._trigger()
        else:
            self._recruit_sms_import(self._rows(mapping, table, headers))
            self.state = "done"
        return self._reopen()

    def action_resume(self):
        """Go on with an import that stopped, from the first row it had not imported (the
        rows before are kept, with their results)."""
        self.ensure_one()
        self.env["hr.applicant"].check_access("create")
        if self.state != "failed":
            raise UserError(self.env._("Only an import that stopped can be resumed."))
        self.write({"state": "queued", "failure_reason": False})
        self.env.ref("recruit_sms.ir_cron_recruit_sms_import").sudo()._trigger()
        return self._reopen()

    def _reopen(self):
        """This import's window again, as its state now shows it."""
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Import candidates")}

    def _rows(self, mapping, table, headers=()):
        countries = {name.lower(): code for code, name in self.env["res.country"].search([]).mapped(
            lambda c: (c.code, c.name))}
        extra = rules.unknown_columns(headers) if self.unknown_columns == "note" else ()
        return [rules.read_row(mapping, cells, line, self.country_id.code, countries, extra_columns=extra)
                for line, cells in enumerate(table, start=2)]

    def _recruit_sms_import(self, rows):
        """Import ``rows`` in the current transaction and record their results."""
        savepoint = self.env.cr.savepoint()
        with savepoint:
            results = self._import_rows(rows)
            if self.all_or_nothing and any(result["result"] in ("skipped", "review") for result in results.values()):
                savepoint.rollback()
                for result in results.values():
                    if result["result"] not in ("skipped", "review"):
                        result.update(result="skipped", applicant_id=False, reason=self.env._(
                            "Not imported: another row could not be, and all or nothing was asked"))
        # the texts on apply go once the import is final (all or nothing may have undone it)
        self.env["hr.applicant"].browse(
            result["applicant_id"] for result in results.values() if result["result"] == "created"
        )._recruit_sms_text_on_apply()
        self.write({"line_ids": [fields.Command.create(results[row.line]) for row in rows],
                    "rows_done": self.rows_done + len(rows)})

    @api.model
    def _cron_import(self, commit=True):
        """Run the queued imports. One that fails stops alone, in the failed state with the
        reason (the importer is told), and the others go on."""
        for wizard in self.sudo().search([("state", "=", "queued")], order="id"):
            try:
                # as the person who imports: their access rights and record rules apply
                wizard.with_user(wizard.create_uid).with_company(wizard.company_id)._recruit_sms_import_queued(
                    commit=commit)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # no fault of the file: it stays queued, and the cron's next run goes on
            except Exception as error:  # whatever stops one file, the next ones still run
                if commit:
                    self.env.cr.rollback()  # pylint: disable=invalid-commit
                _logger.warning("Candidate import %s stopped: %s", wizard.id, type(error).__name__)
                wizard.write({"state": "failed", "failure_reason": str(error)})
                wizard._recruit_sms_mail_results()
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit

    def _recruit_sms_import_queued(self, commit=False):
        """Import a queued file, ``QUEUE_CHUNK`` rows per transaction with ``commit`` (all
        at once when all or nothing was asked), then email the importer the results."""
        self.ensure_one()
        headers, table = self._read_table()
        mapping, _problems = rules.map_headers(headers, table)  # checked when it was queued
        rows = self._rows(mapping, table, headers)[self.rows_done:]
        size = len(rows) if self.all_or_nothing else QUEUE_CHUNK
        for start in range(0, len(rows), size):
            self._recruit_sms_import(rows[start:start + size])
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.state = "done"
        self._recruit_sms_mail_results()

    def _recruit_sms_mail_results(self):
        user = self.create_uid
        if not user.email:
            return
        if self.state == "failed":
            text = self.env._(
                "Your import of %(file)s stopped after %(done)s of %(total)s rows: %(reason)s. The rows imported "
                "before are kept; their results are attached.", file=self.filename or "", done=self.rows_done,
                total=self.rows_total, reason=self.failure_reason)
        else:
            text = self.env._(
                "Your import of %(file)s is done: %(created)s created, %(updated)s updated, %(review)s possible "
                "duplicates to review, %(skipped)s skipped. The result of every row is attached.",
                file=self.filename or "", created=self.count_created, updated=self.count_updated,
                review=self.count_review, skipped=self.count_skipped)
        body = Markup("<p>%s</p>") % text
        self.env["mail.mail"].sudo().create({
            "subject": self.env._("Import of %(file)s: %(state)s", file=self.filename or "",
                                  state=dict(self._fields["state"]._description_selection(self.env))[self.state]),
            "body_html": body, "email_to": user.email_formatted, "auto_delete": True,
            "attachment_ids": [fields.Command.link(self._recruit_sms_report().id)],
        })

    def _import_rows(self, rows):
        """{line: result} of importing ``rows``: what the database knows is read once for
        the whole file, new applicants are created in batches (a batch that fails is
        created again row by row, so that one bad row fails alone, with its reason)."""
        results = {row.line: {"line": row.line, "name": row.name, "email": row.email, "number": row.number or row.phone_raw,
                              "result": "skipped", "applicant_id": False, "reason": False} for row in rows}
        ready = self._triage(rows, results)
        existing = self._existing(ready)
        lookups = self._lookups(ready)
        to_create, to_update, first_of = [], [], {}
        for row in ready:
            values = self._values(row, lookups)
            unknown = []  # the names this row gives that the database does not know, said per column
            if row.job and row.job.lower() not in lookups[0]:
                unknown.append(self.env._(
                    "No job position named '%(job)s': %(instead)s", job=row.job,
                    instead=self.env._("imported for %(job)s", job=self.job_id.name) if self.job_id
                    else self.env._("imported without a job position")))
            if row.source and row.source.lower() not in lookups[1]:
                unknown.append(self.env._(
                    "No source named '%(name)s': %(instead)s", name=row.source,
                    instead=self.env._("imported with %(name)s", name=self.source_id.name) if self.source_id
                    else self.env._("imported without a source")))
            if unknown:
                results[row.line]["reason"] = "; ".join(unknown)
            keys = [key for key in (("email", email_normalize(row.email) or row.email), ("number", row.number)) if key[1]]
            known = next((existing[key] for key in keys if key in existing), None)
            by_email = bool(keys) and keys[0][0] == "email" and keys[0] in existing
            if known and not by_email and not rules.same_person(
                    row.name, email_normalize(row.email), known.partner_name, known.email_normalized):
                # another person on a known number (a family's phone, a reassigned number):
                # never merged into that applicant; the recruiter looks at both
                results[row.line].update(result="review", applicant_id=known.id, reason=self.env._(
                    "Possible duplicate: %(number)s is %(known)s's number, and this row names someone else; "
                    "nothing was imported. Check both, then create the applicant by hand or fix the file.",
                    number=row.number, known=known.partner_name or known.display_name))
                continue
            if known and not (self.duplicates == "new" and values["job_id"] and values["job_id"] != known.job_id.id):
                to_update.append((row, known, values))
                continue
            earlier = next((first_of[key] for key in keys if key in first_of), None)
            if earlier is not None:  # the same person earlier in the file: one applicant
                to_update.append((row, earlier, values))
                continue
            if known:
                values["partner_id"] = known.partner_id.id
            to_create.append((row, values))
            for key in keys:
                first_of[key] = row
        created = self._create_applicants(to_create, results)
        for row, target, values in to_update:
            applicant = created.get(target.line) if isinstance(target, rules.Row) else target
            if not applicant:
                results[row.line]["reason"] = results[target.line]["reason"]
                continue
            try:
                with self.env.cr.savepoint(), self._consent():
                    applicant.write(self._updates(applicant, values))
            except (UserError, ValueError) as error:
                results[row.line]["reason"] = str(error)
                continue
            results[row.line].update(result="updated", applicant_id=applicant.id)
        return results

    def _triage(self, rows, results):
        """The rows that can be imported; the others get their reason."""
        reasons = {
            rules.NO_NAME: self.env._("No name"),
            rules.NO_CONTACT: self.env._("No phone number and no email: nothing to reach them with"),
        }
        ready = []
        opted_out = self.env["phone.blacklist"]._recruit_sms_opted_out([row.number for row in rows if row.number])
        for row in rows:
            if row.skip == rules.INVALID_NUMBER:
                results[row.line]["reason"] = self.env._("Invalid phone number (%(why)s)", why=row.skip_detail)
            elif row.skip:
                results[row.line]["reason"] = reasons[row.skip]
            elif row.number in opted_out:
                results[row.line]["reason"] = self.env._("%(number)s opted out of texts", number=row.number)
            else:
                ready.append(row)
        return ready

    def _values(self, row, lookups):
        jobs, sources, tags = lookups
        values = {
            "partner_name": row.name,
            "job_id": (jobs.get(row.job.lower()) or self.job_id).id if row.job else self.job_id.id,
            "source_id": (sources.get(row.source.lower()) or self.source_id).id if row.source else self.source_id.id,
        }
        if row.email:
            values["email_from"] = row.email
        if row.number:
            values["partner_phone"] = row.number
        if row.tags:
            values["categ_ids"] = [fields.Command.link(tags[tag.lower()].id) for tag in row.tags]
        if row.consent and (self.consent_evidence or "").strip():
            values["recruit_sms_consent"] = True
        if row.extras:  # the file's other columns, kept rather than lost
            values["applicant_notes"] = Markup("").join(
                Markup("<p><strong>{header}:</strong> {value}</p>").format(header=header, value=value)
                for header, value in row.extras)
        return values

    def _updates(self, applicant, values):
        """What a row adds to an application: blank fields filled, tags added, consent
        given (never a value overwritten)."""
        updates = {key: value for key, value in values.items()
                   if key == "categ_ids" or (key != "recruit_sms_consent" and value and not applicant[key])}
        # the evidence is about the row's number: not about another one the application has
        same_number = not applicant.phone_sanitized or applicant.phone_sanitized == values.get("partner_phone")
        if values.get("recruit_sms_consent") and not applicant.recruit_sms_consent and same_number:
            updates["recruit_sms_consent"] = True
        return updates

    def _create_applicants(self, to_create, results):
        """{line: applicant} of the rows created, in batches."""
        created = {}
        # One applicant a row, without the creation message Odoo posts for each (it notifies
        # the job's followers once per applicant: a file would send them thousands) nor the
        # importing user following every row: each applicant gets a note of the import, each
        # job one message for its followers (``_announce``).
        Applicant = self.env["hr.applicant"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        self._link_partners(to_create)
        for start in range(0, len(to_create), CREATE_BATCH):
            batch = to_create[start:start + CREATE_BATCH]
            try:
                with self.env.cr.savepoint(), self._consent():
                    applicants = Applicant.create([values for _row, values in batch])
                pairs = zip(batch, applicants, strict=True)
            except (UserError, ValueError):
                pairs = []
                for row, values in batch:
                    try:
                        with self.env.cr.savepoint(), self._consent():
                            pairs.append(((row, values), Applicant.create(values)))
                    except (UserError, ValueError) as error:
                        results[row.line]["reason"] = str(error)
            for (row, _values), applicant in pairs:
                created[row.line] = applicant
                results[row.line].update(result="created", applicant_id=applicant.id)
        self._announce(self.env["hr.applicant"].concat(*created.values()))
        return created

    def _announce(self, applicants):
        """A note on each new applicant, and one message to each job's followers."""
        if not applicants:
            return
        note = self.env._("Imported from %(file)s by %(user)s.", file=self.filename or "", user=self.env.user.name)
        applicants._message_log_batch(bodies=dict.fromkeys(applicants.ids, note))
        for job in applicants.job_id:
            count = len(applicants.filtered(lambda a, j=job: a.job_id == j))
            job.message_post(
                body=self.env._("%(count)s new applicants imported from %(file)s by %(user)s.", count=count,
                                file=self.filename or "", user=self.env.user.name),
                subtype_xmlid="hr_recruitment.mt_job_applicant_new")

    def _link_partners(self, to_create):
        """Give each new applicant with an email its contact, as Odoo does one applicant at a
        time (the contact with that email, else a new one), for the whole file at once."""
        wanted = {values["email_from"]: values for _row, values in to_create
                  if values.get("email_from") and not values.get("partner_id")}
        if not wanted:
            return
        Partner = self.env["res.partner"].with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        partners = {}
        for partner in Partner.search([("email_normalized", "in", list(wanted))], order="id desc"):
            partners[partner.email_normalized] = partner
        missing = [email for email in wanted if email not in partners]
        for email, partner in zip(missing, Partner.create([{
            "name": wanted[email]["partner_name"], "email": email, "phone": wanted[email].get("partner_phone") or False,
        } for email in missing]), strict=True):
            partners[email] = partner
        for email, values in wanted.items():
            values["partner_id"] = partners[email].id

    def _consent(self):
        return consent_source("import", reason=self.env._(
            "Imported: %(file)s, %(user)s: %(evidence)s", file=self.filename or "", user=self.env.user.name,
            evidence=self.consent_evidence or ""))

    def _existing(self, rows):
        """{("email", address) or ("number", E.164): application} of the rows, the newest
        application of each, read in one query."""
        emails = list({email_normalize(row.email) or row.email for row in rows if row.email})
        numbers = list({row.number for row in rows if row.number})
        if not emails and not numbers:
            return {}
        Applicant = self.env["hr.applicant"]
        found = Applicant.search(Domain("email_normalized", "in", emails) | Applicant._recruit_sms_holding(numbers),
                                 order="id asc")
        existing = {}
        for applicant in found:  # the newest last: it wins
            if applicant.email_normalized:
                existing["email", applicant.email_normalized] = applicant
            for number in {applicant.phone_sanitized, applicant.partner_phone_sanitized} - {False, None}:
                existing["number", number] = applicant
        return existing

    def _lookups(self, rows):
        """(jobs, sources, tags) named in the rows, by lower-case name; missing tags are created."""
        def by_name(model, names):
            domain = [("name", "in", list(names))]
            if "company_id" in self.env[model]._fields:  # the import's company's, or shared
                domain.append(("company_id", "in", [self.company_id.id, False]))
            records = self.env[model].search(domain) if names else self.env[model]
            return {record.name.lower(): record for record in records}

        jobs = by_name("hr.job", {row.job for row in rows if row.job})
        sources = by_name("utm.source", {row.source for row in rows if row.source})
        wanted = {tag.lower(): tag for row in rows for tag in row.tags}
        tags = by_name("hr.applicant.category", set(wanted.values()))
        missing = [name for key, name in wanted.items() if key not in tags]
        if missing:
            tags.update({tag.name.lower(): tag for tag in self.env["hr.applicant.category"].create([{"name": name} for name in missing])})
        return jobs, sources, tags

    def action_download_report(self):
        """The results as CSV, one line a row of the file."""
        attachment = self._recruit_sms_report()
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "download"}

    def _recruit_sms_report(self):
        self.ensure_one()
        out = io.StringIO()
        writer = Writer(out)
        writer.writerow([self.env._("Line"), self.env._("Name"), self.env._("Email"), self.env._("Phone"),
                         self.env._("Result"), self.env._("Reason")])
        labels = dict(RESULTS)
        for line in self.line_ids.sorted("line"):
            writer.writerow([line.line, line.name or "", line.email or "", line.number or "",
                             labels[line.result], line.reason or ""])
        return self.env["ir.attachment"].create({
            "name": f"{(self.filename or 'import').rsplit('.', 1)[0]}-results.csv",
            "raw": out.getvalue().encode(), "mimetype": "text/csv", "res_model": self._name, "res_id": self.id,
        })

