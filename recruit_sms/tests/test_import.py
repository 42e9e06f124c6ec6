import base64
import io

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import RecruitSmsCase

CSV = """First name;Last name;Mobile;E-mail;Job title;SMS opt-in;Tags
Bea;Brown;(415) 555-0160;bea@example.com;Forklift driver;yes;night, forklift
Cal;Cruz;555-01;cal@example.com;;yes;
Dee;Diaz;;;;;
Eve;Evans;+1 415 555 0161;;;no;
Ann;Applicant;+1 415 555 0170;ANN.APPLICANT@example.com;;yes;returning
Ann;Applicant;415.555.0142;;;;
Fay;Fox;+1 415 555 0162;;;yes;
Umar;Farouk;+1 415 555 0142;umar@example.com;;yes;
"""


@tagged("post_install", "-at_install")
class TestImportCandidates(RecruitSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["phone.blacklist"].sudo().add("+14155550162")  # Fay texted STOP

    def wizard(self, content=CSV, filename="job-fair.csv", user=None, **values):
        """The import of ``content``, with the file's consent evidence unless ``values`` say otherwise."""
        data = content.encode() if isinstance(content, str) else content
        return self.env["recruit.sms.import"].with_user(user or self.recruiter).create({
            "data_file": base64.b64encode(data), "filename": filename, "consent_evidence": "Job fair sign-up sheet",
            **values})

    def results(self, wizard):
        return [(line.line, line.result, line.reason or "") for line in wizard.line_ids.sorted("line")]

    def test_each_row_created_updated_or_skipped_with_its_reason(self):
        wizard = self.wizard(consent_evidence="Job fair sign-up sheet")
        wizard.action_import()
        results = self.results(wizard)
        self.assertEqual([(line, result) for line, result, _reason in results], [
            (2, "created"), (3, "skipped"), (4, "skipped"), (5, "created"), (6, "updated"), (7, "updated"), (8, "skipped"),
            (9, "review")])
        self.assertIn("Invalid phone number", results[1][2])
        self.assertIn("No phone number and no email", results[2][2])
        self.assertIn("+14155550162 opted out", results[6][2])
        # Umar on Ann's number: another person, never merged into her application
        self.assertIn("Possible duplicate: +14155550142 is Ann Applicant's number", results[7][2])
        self.assertEqual(wizard.line_ids.filtered(lambda line: line.line == 9).applicant_id, self.applicant)
        self.assertEqual(self.env["hr.applicant"].search_count([("partner_name", "ilike", "Umar")]), 0)
        self.assertNotEqual(self.applicant.email_from, "umar@example.com")
        bea = self.env["hr.applicant"].search([("email_from", "=", "bea@example.com")])
        self.assertEqual((bea.partner_name, bea.phone_sanitized, bea.job_id), ("Bea Brown", "+14155550160", self.job))
        self.assertEqual(sorted(bea.categ_ids.mapped("name")), ["forklift", "night"])
        self.assertEqual(self.env["hr.applicant"].search_count([("partner_name", "=", "Ann Applicant")]), 1,
                         "the same number in another format is the same applicant")
        self.assertIn("returning", self.applicant.categ_ids.mapped("name"))
        self.assertEqual(self.applicant.partner_name, "Ann Applicant", "an update fills blanks, never overwrites")

    def test_consent_only_with_the_files_evidence_and_in_the_ledger(self):
        before = self.env["hr.applicant"].search_count([])
        with self.assertRaisesRegex(UserError, "Consent column says yes .* How they agreed to texts is empty"):
            self.wizard(consent_evidence=False).action_import()  # a 'yes' column is no evidence by itself: said
        self.assertEqual(self.env["hr.applicant"].search_count([]), before, "nothing imported")
        self.wizard(consent_evidence="Job fair sign-up sheet").action_import()
        bea = self.env["hr.applicant"].search([("email_from", "=", "bea@example.com")])
        self.assertEqual((bea.recruit_sms_consent, bea.recruit_sms_consent_source), (True, "import"))
        [event] = bea.sudo().recruit_sms_consent_event_ids
        self.assertEqual(event.reason, "Imported: job-fair.csv, Rita Recruiter: Job fair sign-up sheet")
        eve = self.env["hr.applicant"].search([("partner_name", "=", "Eve Evans")])
        self.assertFalse(eve.recruit_sms_consent, "'no' is no")

    def test_header_problems_are_named_before_anything_is_written(self):
        before = self.env["hr.applicant"].search_count([])
        content = "Name,Phone,Favourite colour,Mobile,Notes\nBea,+14155550160,blue,+14155550161,\n"
        with self.assertRaisesRegex(UserError, "Nothing was imported") as caught:
            self.wizard(content, unknown_columns="refuse").action_import()
        message = str(caught.exception)
        self.assertIn("Column 'Favourite colour' is not known", message)
        self.assertIn("Column 'Mobile' says the same as 'Phone'", message)
        self.assertIn("Column 'Notes' is not known", message)
        self.assertEqual(self.env["hr.applicant"].search_count([]), before)
        with self.assertRaisesRegex(UserError, "the file needs phone or email"):
            self.wizard("Name,Job\nBea,Driver\n").action_import()
        # by default other columns are no problem: the column that says the same as another still is
        with self.assertRaisesRegex(UserError, "Column 'Mobile' says the same as 'Phone'") as caught:
            self.wizard(content).action_import()
        self.assertNotIn("is not known", str(caught.exception))

    def test_other_columns_go_in_the_note_or_are_ignored_as_the_recruiter_chooses(self):
        content = "Name,Phone,Status,Notes\nGil Green,+14155550181,interviewed,Prefers nights\nHal Hart,+14155550182,,\n"
        wizard = self.wizard(content)
        wizard.action_import()
        self.assertEqual(wizard.other_columns, "Status, Notes: in each new applicant's note")
        gil, hal = (self.env["hr.applicant"].search([("partner_name", "=", name)]) for name in ("Gil Green", "Hal Hart"))
        self.assertEqual(html2plaintext(gil.applicant_notes), "*Status:* interviewed\n*Notes:* Prefers nights")
        self.assertFalse(hal.applicant_notes, "no empty lines for empty cells")
        ignored = self.wizard(content.replace("Gil", "Ida").replace("0181", "0183"), unknown_columns="ignore")
        ignored.action_import()
        self.assertEqual(ignored.other_columns, "Status, Notes: ignored")
        self.assertFalse(self.env["hr.applicant"].search([("partner_name", "=", "Ida Green")]).applicant_notes)

    def test_all_or_nothing_imports_nothing_when_a_row_fails(self):
        before = self.env["hr.applicant"].search_count([])
        wizard = self.wizard(all_or_nothing=True)
        wizard.action_import()
        self.assertEqual(self.env["hr.applicant"].search_count([]), before)
        self.assertEqual({result for _line, result, _reason in self.results(wizard)}, {"skipped", "review"})
        self.assertIn("all or nothing", self.results(wizard)[0][2])

    def test_a_new_application_for_another_job_instead_of_an_update(self):
        other_job = self.env["hr.job"].create({"name": "Night picker"})
        self.wizard("Name,Phone\nAnn Applicant,(415) 555-0142\n", duplicates="new", job_id=other_job.id).action_import()
        applications = self.env["hr.applicant"].search([("partner_phone_sanitized", "=", "+14155550142")])
        self.assertEqual(sorted(applications.job_id.mapped("name")), ["Forklift driver", "Night picker"])
        self.assertEqual(len(applications.partner_id), 1, "the same person")

    def test_xlsx_and_the_downloadable_report(self):
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["Full name", "Cell", "Email"])
        book.active.append(["Gus Green", "+1 415 555 0163", "gus@example.com"])
        book.active.append(["Hal Hill", "12", ""])
        data = io.BytesIO()
        book.save(data)
        wizard = self.wizard(data.getvalue(), filename="export.xlsx")
        wizard.action_import()
        self.assertEqual([result for _line, result, _reason in self.results(wizard)], ["created", "skipped"])
        url = wizard.action_download_report()["url"]
        attachment = self.env["ir.attachment"].browse(int(url.split("/web/content/")[1].split("?")[0]))
        lines = attachment.raw.decode().splitlines()
        self.assertEqual(lines[0], "Line,Name,Email,Phone,Result,Reason")
        self.assertTrue(lines[1].startswith("2,Gus Green,gus@example.com,'+14155550163,Created"), lines[1])
        self.assertIn("Invalid phone number", lines[2])

    def test_the_same_person_twice_in_a_file_is_one_applicant_and_the_job_hears_once(self):
        self.job.message_subscribe(partner_ids=self.recruiter.partner_id.ids)
        before = self.env["mail.message"].search_count([("model", "=", "hr.job"), ("res_id", "=", self.job.id)])
        content = ("Name,Phone,Email,Job\nIra Ito,+1 415 555 0164,ira@example.com,Forklift driver\n"
                   "Ira I.,(415) 555-0164,,Forklift driver\nJo Jones,+1 415 555 0165,,Forklift driver\n")
        wizard = self.wizard(content)
        wizard.action_import()
        self.assertEqual([result for _line, result, _reason in self.results(wizard)], ["created", "updated", "created"])
        ira = self.env["hr.applicant"].search([("partner_phone_sanitized", "=", "+14155550164")])
        self.assertEqual((len(ira), ira.partner_name, ira.partner_id.email), (1, "Ira Ito", "ira@example.com"))
        self.assertIn("Imported from job-fair.csv by Rita Recruiter", ira.message_ids.mapped("body")[0])
        job_messages = self.env["mail.message"].search([("model", "=", "hr.job"), ("res_id", "=", self.job.id)])
        self.assertEqual(len(job_messages) - before, 1, "one message for the job, not one per applicant")
        self.assertIn("2 new applicants imported from job-fair.csv", job_messages.sorted("id")[-1].body)

    def test_a_long_file_is_imported_in_the_background_and_mailed(self):
        self.env["ir.config_parameter"].sudo().set_param("recruit_sms.import_queue_above", "3")
        wizard = self.wizard(consent_evidence="Job fair sign-up sheet")
        before = self.env["hr.applicant"].search_count([])
        wizard.action_import()
        self.assertEqual((wizard.state, wizard.rows_total, wizard.progress), ("queued", 8, 0.0))
        self.assertEqual(self.env["hr.applicant"].search_count([]), before, "nothing imported while the browser waits")
        self.assertTrue(self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.env.ref("recruit_sms.ir_cron_recruit_sms_import").id)]))
        # what the cron does, as the importer, without its commits
        wizard.with_user(self.recruiter)._recruit_sms_import_queued()
        self.assertEqual((wizard.state, wizard.progress), ("done", 100.0))
        self.assertEqual((wizard.count_created, wizard.count_updated, wizard.count_review, wizard.count_skipped),
                         (2, 2, 1, 3))
        mail = self.env["mail.mail"].sudo().search([("email_to", "like", self.recruiter.email)])
        self.assertIn("2 created, 2 updated, 1 possible duplicates to review, 3 skipped", mail.body_html)
        self.assertEqual(mail.attachment_ids.name, "job-fair-results.csv")

    def test_a_background_import_that_fails_stops_alone_and_says_why(self):
        self.env["ir.config_parameter"].sudo().set_param("recruit_sms.import_queue_above", "3")
        broken, good = self.wizard(), self.wizard()
        for wizard in (broken, good):
            wizard.action_import()
        # the first file can no longer be read when its turn comes
        broken.write({"data_file": base64.b64encode(b"not a spreadsheet"), "filename": "fair.xlsx"})
        self.env["recruit.sms.import"]._cron_import(commit=False)
        self.assertEqual((broken.state, good.state), ("failed", "done"))
        self.assertIn("not a readable XLSX file", broken.failure_reason)
        self.assertEqual(good.count_created, 2)
        mails = self.env["mail.mail"].sudo().search([("email_to", "like", self.recruiter.email)])
        self.assertTrue(any("stopped after 0 of 8 rows" in mail.body_html for mail in mails))
        # a file imported, or being imported, is not imported again by a second click
        for wizard in (good, broken):
            with self.assertRaisesRegex(UserError, "imported or being imported already"):
                wizard.with_user(self.recruiter).action_import()
        # the file readable again: Resume goes on, each row once
        broken.write({"data_file": good.data_file, "filename": good.filename})
        broken.with_user(self.recruiter).action_resume()
        self.assertEqual(broken.state, "queued")
        self.env["recruit.sms.import"]._cron_import(commit=False)
        self.assertEqual(broken.state, "done")
        self.assertEqual(sorted(broken.line_ids.mapped("line")), list(range(2, 10)), "each row once")
        with self.assertRaisesRegex(UserError, "Only an import that stopped"):
            broken.with_user(self.recruiter).action_resume()

    def test_consent_is_never_taken_from_the_callers_context(self):
        forged = {"default_recruit_sms_consent": True, "default_recruit_sms_consent_source": "application"}
        direct = self.env["hr.applicant"].with_user(self.recruiter).with_context(**forged).create(
            {"partner_name": "Forged", "partner_phone": "+1 415 555 0186"})
        self.assertEqual((direct.recruit_sms_consent, direct.recruit_sms_consent_source), (False, False))
        with self.assertRaisesRegex(UserError, "How they agreed to texts is empty"):
            self.wizard(consent_evidence="  ").with_context(**forged).action_import()  # blank evidence is no evidence
        self.wizard(CSV.replace(";yes;", ";;"), consent_evidence=False).with_context(**forged).action_import()
        imported = self.env["hr.applicant"].search([("email_from", "=", "bea@example.com")])
        self.assertFalse(imported.recruit_sms_consent, "nor is the caller's context")

    def test_consent_goes_with_the_rows_number_only(self):
        self.applicant.recruit_sms_consent = False
        self.wizard("Name,Phone,Email,Consent\nAnn Applicant,+1 415 555 0187,ann.applicant@example.com,yes\n",
                    consent_evidence="Sign-up sheet").action_import()
        self.assertEqual(self.applicant.phone_sanitized, "+14155550142", "an update never overwrites")
        self.assertFalse(self.applicant.recruit_sms_consent,
                         "the evidence is about another number than the one the application has")

    def test_an_existing_email_matches_whatever_its_case_or_display_name(self):
        self.applicant.email_from = "Ann Applicant <Ann.Applicant@Example.com>"
        wizard = self.wizard("Name,Email\nAnn A.,ann.applicant@example.com\n")
        wizard.action_import()
        self.assertEqual(self.results(wizard), [(2, "updated", "")])

    def test_an_unknown_job_or_source_name_is_said(self):
        wizard = self.wizard("Name,Phone,Job,Source\nWes West,+1 415 555 0188,Forklift drivr,Job fiar\n",
                             job_id=self.job.id)
        wizard.action_import()
        self.assertEqual(self.results(wizard), [(2, "created", "No job position named 'Forklift drivr': imported for "
                                                  "Forklift driver; No source named 'Job fiar': imported without a source")])

    def test_interviewers_cannot_import(self):
        interviewer = mail_new_test_user(self.env, login="rsms_import_interviewer",
                                         groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        with self.assertRaises(AccessError):
            self.wizard(user=interviewer)
