import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..models.hr_applicant import consent_source
from ..tools import candidate_import as rules
from .recruit_sms_import_line import RESULTS


class RecruitSmsImport(models.TransientModel):
    """Import candidates from a spreadsheet (CSV or XLSX): one applicant per row, matched
    to an existing application by email or E.164 number so that a file imported twice
    creates nobody twice, with a result per row that can be downloaded."""

    _name = "recruit.sms.import"
    _description = "Import candidates"

    data_file = fields.Binary("File", required=True, help="CSV (UTF-8, comma or semicolon) or XLSX, headers on the first line.")
    filename = fields.Char()
    country_id = fields.Many2one("res.country", "Country of national numbers", default=lambda self: self.env.company.country_id,
                                 help="Numbers written without +country code are read in this country, unless the row has a "
                                      "Country column.")
    job_id = fields.Many2one("hr.job", "Job position", help="For every row without a Job column.")
    source_id = fields.Many2one("utm.source", "Source", help="For every row without a Source column.")
    duplicates = fields.Selection(
        [("update", "Update the existing application"), ("new", "Create a new application for the job position")],
        "Already an applicant", required=True, default="update",
        help="Same email, or same phone number once normalised: update that application, never duplicate it; or apply "
             "them to the job position chosen above as well.")
    consent_evidence = fields.Char(
        "How they agreed to texts",
        help="Say how the people marked yes in the Consent column agreed to be texted (e.g. 'Job fair sign-up sheet, "
             "March'). Without it, the Consent column is ignored: consent is evidence.")
    all_or_nothing = fields.Boolean(help="Import nothing if any row cannot be imported.")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)
    line_ids = fields.One2many("recruit.sms.import.line", "import_id", "Results")
    count_created = fields.Integer(compute="_compute_counts")
    count_updated = fields.Integer(compute="_compute_counts")
    count_skipped = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.result")
    def _compute_counts(self):
        for wizard in self:
            results = wizard.line_ids.mapped("result")
            wizard.count_created = results.count("created")
            wizard.count_updated = results.count("updated")
            wizard.count_skipped = results.count("skipped")

    # ------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------

    def _read_table(self):
        """(headers, rows) of the file, as strings."""
        content = base64.b64decode(self.data_file or b"")
        name = (self.filename or "").lower()
        if name.endswith(".xlsx"):
            try:
                import openpyxl  # Odoo's requirements bring it; only XLSX files need it

                sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
                table = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            except Exception as error:
                raise UserError(self.env._("File: this is not a readable XLSX file (%(error)s). Save it again as XLSX or "
                                           "CSV.", error=error)) from error
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise UserError(self.env._("File: the CSV is not UTF-8. Save it again as 'CSV UTF-8'.")) from error
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            table = list(csv.reader(io.StringIO(text), dialect))
        table = [row for row in table if any((cell or "").strip() for cell in row)]
        if not table:
            raise UserError(self.env._("File: it is empty. Put the headers on the first line, then one candidate a line."))
        return table[0], table[1:]

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
        headers, table = self._read_table()
        mapping, problems = rules.map_headers(headers, table)
        if problems:
            raise UserError(self.env._("Nothing was imported. Fix the file's headers and import it again:\n%(problems)s",
                                       problems="\n".join(f"- {text}" for text in self._header_errors(problems))))
        countries = {name.lower(): code for code, name in self.env["res.country"].search([]).mapped(
            lambda c: (c.code, c.name))}
        rows = [rules.read_row(mapping, cells, line, self.country_id.code, countries)
                for line, cells in enumerate(table, start=2)]
        results = []
        savepoint = self.env.cr.savepoint()
        with savepoint:
            for row in rows:
                results.append(self._import_row(row))
            if self.all_or_nothing and any(result["result"] == "skipped" for result in results):
                savepoint.rollback()
                for result in results:
                    if result["result"] != "skipped":
                        result.update(result="skipped", applicant_id=False, reason=self.env._(
                            "Not imported: another row could not be, and all or nothing was asked"))
        self.line_ids = [fields.Command.clear()] + [fields.Command.create(result) for result in results]
        self.state = "done"
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Import candidates")}

    def _import_row(self, row):
        result = {"line": row.line, "name": row.name, "email": row.email, "number": row.number or row.phone_raw,
                  "result": "skipped", "applicant_id": False, "reason": False}
        reasons = {
            rules.NO_NAME: self.env._("No name"),
            rules.NO_CONTACT: self.env._("No phone number and no email: nothing to reach them with"),
            rules.INVALID_NUMBER: self.env._("Invalid phone number (%(why)s)", why=row.skip_detail),
        }
        if row.skip:
            result["reason"] = reasons[row.skip]
            return result
        if row.number and row.number in self.env["phone.blacklist"]._recruit_sms_opted_out([row.number]):
            result["reason"] = self.env._("%(number)s opted out of texts", number=row.number)
            return result
        try:
            with self.env.cr.savepoint():
                applicant, created = self._apply_row(row)
        except (UserError, ValueError) as error:
            result["reason"] = str(error)
            return result
        result.update(result="created" if created else "updated", applicant_id=applicant.id)
        return result

    def _apply_row(self, row):
        Applicant = self.env["hr.applicant"]
        values = {"partner_name": row.name}
        if row.email:
            values["email_from"] = row.email
        if row.number:
            values["partner_phone"] = row.number
        job = self.job_id
        if row.job:
            job = self.env["hr.job"].search([("name", "=ilike", row.job)], limit=1) or job
        source = self.source_id
        if row.source:
            source = self.env["utm.source"].search([("name", "=ilike", row.source)], limit=1) or source
        if row.tags:
            Category = self.env["hr.applicant.category"]
            tags = [Category.search([("name", "=ilike", tag)], limit=1) or Category.create({"name": tag}) for tag in row.tags]
            values["categ_ids"] = [fields.Command.link(tag.id) for tag in tags]
        if row.consent and self.consent_evidence:
            values["recruit_sms_consent"] = True
        existing = self._existing(row)
        if existing and not (self.duplicates == "new" and job and job != existing.job_id):
            updates = {key: value for key, value in values.items() if key in ("categ_ids", "recruit_sms_consent")
                       or not existing[key]}
            if updates.get("recruit_sms_consent") and existing.recruit_sms_consent:
                del updates["recruit_sms_consent"]
            with self._consent():
                existing.write(updates)
            return existing, False
        values.update(job_id=job.id, source_id=source.id)
        if existing:
            values["partner_id"] = existing.partner_id.id
        with self._consent():
            return Applicant.create(values), True

    def _consent(self):
        return consent_source("import", reason=self.env._(
            "Imported: %(file)s, %(user)s: %(evidence)s", file=self.filename or "", user=self.env.user.name,
            evidence=self.consent_evidence or ""))

    def _existing(self, row):
        """The application this row is already: same email, or same E.164 number."""
        domain = []
        if row.email:
            domain.append(Domain("email_from", "=ilike", row.email))
        if row.number:
            domain.append(Domain("phone_sanitized", "=", row.number) | Domain("partner_phone_sanitized", "=", row.number))
        return self.env["hr.applicant"].search(Domain.OR(domain), order="id desc", limit=1) if domain else self.env["hr.applicant"]

    def action_download_report(self):
        """The results as CSV, one line a row of the file."""
        self.ensure_one()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([self.env._("Line"), self.env._("Name"), self.env._("Email"), self.env._("Phone"),
                         self.env._("Result"), self.env._("Reason")])
        labels = dict(RESULTS)
        for line in self.line_ids.sorted("line"):
            writer.writerow([line.line, line.name or "", line.email or "", line.number or "",
                             labels[line.result], line.reason or ""])
        attachment = self.env["ir.attachment"].create({
            "name": f"{(self.filename or 'import').rsplit('.', 1)[0]}-results.csv",
            "raw": out.getvalue().encode(), "mimetype": "text/csv", "res_model": self._name, "res_id": self.id,
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "download"}

