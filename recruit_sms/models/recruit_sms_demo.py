from datetime import timedelta

from odoo import api, fields, models

from ..tools.inbound import InboundSms

# (name, phone, job index, owner, consent, script): the conversations of the demo. Owner:
# "admin", "rebecca" or "" (the team). Each script step is (hours ago, action, text); a reply
# is received as from the provider's webhook, so STOP and START act for real.
STORY = [
    # waiting for a response: green (under 12 h), orange (12-24 h), red (over 24 h)
    ("Maya Thompson", "+1 312 555 0101", 0, "admin", True,
     [(30, "sms", "Hi Maya, thanks for applying! Are you free for a phone screen this week?"),
      (2, "reply", "Yes! Thursday afternoon works best for me.")]),
    ("Diego Alvarez", "+1 312 555 0102", 1, "admin", True,
     [(20, "sms", "Hi Diego, we'd love to schedule an interview. What days work for you?"),
      (16, "reply", "Monday or Tuesday morning, thanks")]),
    ("Priya Natarajan", "+1 312 555 0103", 0, "admin", True,
     [(52, "sms", "Hi Priya, your application caught our eye. Can we talk tomorrow?"),
      (30, "reply", "Sure, call me after 5pm. Is the role remote?")]),
    ("Liam O'Connor", "+1 312 555 0104", 2, "", True,
     [(5, "reply", "Hello, I applied online last week. Any news on my application?")]),
    ("Sofia Rossi", "+1 312 555 0105", 1, "", True,
     [(26, "sms", "Hi Sofia, do you have a valid driver's licence?"),
      (18, "reply", "Yes, category B since 2015.")]),
    ("Kwame Mensah", "+1 312 555 0106", 3, "", True,
     [(70, "sms", "Hi Kwame, are you still interested in the position?"),
      (49, "reply", "Yes very much. Sorry for the late answer!")]),
    ("Hannah Becker", "+1 312 555 0107", 0, "rebecca", True,
     [(9, "sms", "Hi Hannah, could you send your portfolio?"),
      (3, "mms", "Here it is, the PDF is attached")]),
    ("Tom Nguyen", "+1 312 555 0108", 2, "rebecca", True,
     [(40, "sms", "Hi Tom, your interview is confirmed for Friday 10:00."),
      (27, "reply", "Can we move it to 11?")]),
    # answered: the last word was the recruiter's (blue)
    ("Emma Wilson", "+1 312 555 0109", 1, "admin", True,
     [(48, "sms", "Hi Emma, thanks for your application. When could you start?"),
      (45, "reply", "In two weeks."),
      (44, "sms", "Perfect, I'll send you the details by email.")]),
    ("Noah Kim", "+1 312 555 0110", 0, "admin", True,
     [(8, "sms", "Hi Noah, reminder: interview tomorrow at 9:00, 12 Market St."),
      (7, "reply", "Thanks, see you there"),
      (6, "sms", "Great, ask for Rebecca at the front desk.")]),
    ("Olivia Brown", "+1 312 555 0111", 3, "rebecca", True,
     [(28, "sms", "Hi Olivia, we received your references, thank you!"),
      (27, "reply", "You're welcome :)"),
      (26, "sms", "We'll get back to you by Friday.")]),
    # email and SMS in one conversation
    ("Lucas Martin", "+1 312 555 0112", 1, "admin", True,
     [(60, "email", "Your application for the position|Hi Lucas,\n\nThank you for applying. Could you tell us your "
                    "availability for an interview next week?\n\nBest regards"),
      (40, "reply", "Hi, got your email. Wednesday works for me!"),
      (39, "email", "Interview invitation|Hi Lucas,\n\nGreat, see you on Wednesday at 14:00. The address is in "
                    "the calendar invite.\n\nBest regards"),
      (1, "reply", "Running 5 min late, sorry")]),
    # texted, no answer yet
    ("Chloe Dubois", "+1 312 555 0113", 2, "admin", True,
     [(4, "sms", "Hi Chloe, thanks for applying! A recruiter will text you this week.")]),
    ("Ethan Clarke", "+1 312 555 0114", 0, "", True,
     [(12, "sms", "Hi Ethan, are you available for a short call today?")]),
    # closed conversations
    ("Ava Johnson", "+1 312 555 0115", 1, "admin", True,
     [(90, "sms", "Hi Ava, the position has been filled. Thank you for your interest!"),
      (88, "reply", "Thanks for letting me know."),
      (87, "close", "")]),
    ("Mason Lee", "+1 312 555 0116", 3, "rebecca", True,
     [(100, "sms", "Hi Mason, welcome aboard! Your first day is Monday."),
      (99, "reply", "Can't wait!"),
      (98, "close", "")]),
    # opted out by texting STOP (with the confirmation and the ledger row)
    ("Isabella Garcia", "+1 312 555 0117", 0, "admin", True,
     [(30, "sms", "Hi Isabella, would you like to hear about our open roles?"),
      (29, "reply", "STOP")]),
    # opted out, then back in by texting START
    ("James Taylor", "+1 312 555 0118", 2, "rebecca", True,
     [(75, "sms", "Hi James, new shifts are open next week."),
      (74, "reply", "STOP"),
      (20, "reply", "START"),
      (19, "sms", "Welcome back James! Still interested in the night shifts?")]),
    # a scheduled message (^at), waiting for its time
    ("Mia Anderson", "+1 312 555 0119", 1, "admin", True,
     [(3, "sms", "Hi Mia, congratulations, you passed the first round!"),
      (2, "reply", "Amazing, thank you!!"),
      (1, "at", "Reminder: your second interview is today at 10:00. Reply if you need to reschedule.")]),
    # more of a recruiter's day
    ("Samuel Turner", "+1 312 555 0121", 2, "admin", True,
     [(10, "sms", "Hi Samuel, can you bring your forklift certificate on Monday?"),
      (9, "reply", "Will do. Do I need safety boots?"),
      (8, "sms", "Yes please, steel toe. See you Monday!")]),
    ("Amelia Phillips", "+1 312 555 0122", 0, "rebecca", True,
     [(15, "sms", "Hi Amelia, thanks for your interest! What is your expected salary?"),
      (13, "reply", "Around 55k, open to discuss")]),
    ("Jacob Campbell", "+1 312 555 0123", 1, "", True,
     [(36, "sms", "Hi Jacob, we have an opening on the evening shift. Interested?"),
      (35, "reply", "What are the hours?"),
      (34, "sms", "4pm to midnight, Monday to Friday."),
      (33, "reply", "OK sounds good")]),
    ("Harper Evans", "+1 312 555 0124", 3, "admin", True,
     [(2, "sms", "Hi Harper, your background check came back clear. Welcome!")]),
    ("Daniel Edwards", "+1 312 555 0125", 2, "rebecca", True,
     [(50, "sms", "Hi Daniel, we tried calling you. When is a good time?"),
      (49, "reply", "Tomorrow 9am"),
      (48, "sms", "Noted, talk tomorrow!")]),
    ("Evelyn Collins", "+1 312 555 0126", 0, "", True,
     [(1, "reply", "Hi! Do you sponsor visas?")]),
    ("Matthew Stewart", "+1 312 555 0127", 1, "admin", True,
     [(22, "sms", "Hi Matthew, please confirm you received the offer letter."),
      (21, "reply", "Received, I'll sign it tonight"),
      (20, "sms", "Great news, thank you!")]),
    ("Abigail Morris", "+1 312 555 0128", 3, "rebecca", True,
     [(7, "sms", "Hi Abigail, can you do a video interview Thursday?")]),
    ("Joseph Rogers", "+1 312 555 0129", 2, "admin", True,
     [(80, "sms", "Hi Joseph, the team would like a second interview."),
      (79, "reply", "Sure, next week?"),
      (78, "sms", "Tuesday 2pm it is."),
      (78, "close", "")]),
    ("Scarlett Reed", "+1 312 555 0130", 0, "", True,
     [(44, "sms", "Hi Scarlett, thanks for applying. Quick question: are you available on weekends?"),
      (14, "reply", "Saturdays only")]),
    # on WhatsApp: she wrote there, so the conversation goes on there, in its 24-hour window
    ("Lucia Fernandez", "+1 312 555 0131", 1, "admin", True,
     [(6, "wa_reply", "Hola! I saw the job on your site, can we talk on WhatsApp?"),
      (5, "wa", "Of course Lucia! Are you free for a call tomorrow at 11?"),
      (4, "wa_reply", "Perfect, talk tomorrow")]),
    # on WhatsApp, but he wrote two days ago: only an approved template can reach him now
    ("Marco Bianchi", "+1 312 555 0132", 0, "rebecca", True,
     [(52, "wa_reply", "Hi, I applied yesterday for the job, is this the right number?"),
      (1, "wa_template", "")]),
    # cannot be texted: no consent, an invalid number
    ("Benjamin Moore", "+1 312 555 0120", 0, "admin", False, []),
    ("Charlotte Davis", "+1 312 555", 3, "", True, []),
]

# the finished campaign: who it reached and how it went ("reply" texts back)
CAMPAIGN_RECIPIENTS = [
    ("Aiden Scott", "+1 312 555 0231", "reply", "YES! Which days?"),
    ("Zoe Harris", "+1 312 555 0232", "reply", "Interested, I can do weekends"),
    ("Ryan Walker", "+1 312 555 0233", None, None),
    ("Grace Young", "+1 312 555 0234", None, None),
    ("Leo King", "+1 312 555 0235", "reply", "STOP"),
    ("Nora Wright", "+1 312 555 0236", None, None),
    ("Owen Hill", "+1 500 555 0001", None, None),  # Twilio's test number: invalid
    ("Lily Green", "+1 500 555 0002", None, None),  # Twilio's test number: cannot be routed
]
DRAFT_RECIPIENTS = [
    ("Jack Adams", "+1 312 555 0241", True),
    ("Ella Baker", "+1 312 555 0242", True),
    ("Henry Nelson", "+1 312 555 0243", True),
    ("Aria Carter", "+1 312 555 0244", False),  # no consent: left out, and the review says why
]


class RecruitSmsDemo(models.AbstractModel):
    """The demo story: conversations in every state, a finished and a draft campaign, an
    unmatched text. Built through the addon's own paths on the sandbox provider, then
    dated relative to the install, so that the colours are right whenever it is
    installed."""

    _name = "recruit.sms.demo"
    _description = "recruit_sms demo story"

    @api.model
    def _load_story(self):
        company = self.env.company
        if company.sms_provider != "sandbox":
            return  # a provider is configured: the demo sends nothing through it
        saved = {name: company[name] for name in ("recruit_sms_quiet_start", "recruit_sms_quiet_end")}
        company.write({"recruit_sms_quiet_start": 0, "recruit_sms_quiet_end": 24,  # the story is told at any hour
                       "recruit_sms_whatsapp": True})  # the sandbox simulates WhatsApp too
        self.env["recruit.sms.whatsapp.template"].create({
            "name": "Follow-up", "content_sid": "HX" + "0" * 32, "company_id": company.id, "variables": "first_name, job",
            "body": "Hi {{1}}, thanks for your interest in the {{2}} role. Can we set up a short call? Reply here."})
        try:
            users = {"admin": self.env.ref("base.user_admin"), "rebecca": self.env.ref("recruit_sms.demo_user_recruiter"),
                     "": self.env["res.users"]}
            jobs = self.env["hr.job"].search([("company_id", "in", (company.id, False))], order="id", limit=4)
            story = self.env["hr.applicant"]
            for name, phone, job, owner, consent, script in STORY:
                # applied a little before the first message
                applied = (max(step[0] for step in script) if script else 0) + 2
                applicant = self._at(applied, lambda n=name, p=phone, j=job, o=owner, c=consent: self._applicant(
                    n, p, jobs[j % len(jobs)] if jobs else False, users[o], c))
                for hours_ago, action, text in script:
                    self._at(hours_ago, lambda a=applicant, k=action, t=text, u=users[owner]: self._act(a, k, t, u))
                story |= applicant
            story |= self._campaigns(jobs[:1], users["admin"])
            self._at(6, lambda: self._receive(None, "+1 312 555 0299", "Hi, is the warehouse job still open?"))
            self._settle(story)
        finally:
            company.write(saved)

    def _applicant(self, name, phone, job, user, consent):
        return self.env["hr.applicant"].create({
            "partner_name": name, "email_from": f"{name.lower().replace(' ', '.').replace(chr(39), '')}@example.com",
            "partner_phone": phone, "job_id": job.id if job else False, "user_id": user.id,
            "recruit_sms_consent": consent,
        })

    def _act(self, applicant, action, text, user):
        sender = applicant.with_user(user or self.env.ref("base.user_admin"))
        if action == "sms":
            sender.recruit_sms_send("sms", self.env._("Your application"), text)
        elif action == "email":
            subject, body = text.split("|", 1)
            sender.recruit_sms_send("email", subject, body)
        elif action in ("reply", "mms", "wa_reply"):
            media = (("https://demo.example.com/media/portfolio.pdf", "application/pdf"),) if action == "mms" else ()
            self._receive(applicant, applicant.phone_sanitized, text, media=media,
                          channel="whatsapp" if action == "wa_reply" else "sms")
        elif action == "wa":
            sender.recruit_sms_send("whatsapp", self.env._("Your application"), text)
        elif action == "wa_template":
            template = self.env["recruit.sms.whatsapp.template"].search([("company_id", "=", applicant.company_id.id)], limit=1)
            sender.recruit_sms_send("whatsapp", self.env._("Your application"), "", template_id=template.id)
        elif action == "close":
            sender.recruit_sms_compose("sms", "^close", "^close")
        elif action == "at":
            when = fields.Datetime.context_timestamp(sender, fields.Datetime.now() + timedelta(hours=20))
            sender.recruit_sms_compose("sms", "Reminder", f"^at {when:%Y-%m-%d %H:%M} {text}")

    def _receive(self, applicant, number, body, media=(), channel="sms"):
        """A text from ``number`` (by SMS or on WhatsApp), received as from the provider's
        webhook: keywords (STOP, START) act for real."""
        sms = InboundSms(message_sid=f"SMdemo{self.env['recruit.sms.inbound'].search_count([]) + 1:026d}",
                         account_sid="", from_number=number, to_number="", body=body, media=media, channel=channel)
        self.env["recruit.sms.inbound"]._recruit_sms_receive(sms, self.env.company)

    def _campaigns(self, job, user):
        nobody = self.env["res.users"]
        applicants = self._at(30, lambda: self.env["hr.applicant"].concat(*(
            self._applicant(name, phone, job, nobody, True) for name, phone, *_rest in CAMPAIGN_RECIPIENTS)))
        campaign = self.env["recruit.sms.campaign"].with_user(user).create({
            "name": "Weekend shifts", "job_id": job.id,
            "body": "Hi {{ object.partner_name }}, new weekend shifts are open. Reply YES if you are interested!",
            "recipient_ids": [(6, 0, applicants.ids)],
        })

        def send():
            campaign.action_send()
            clock = [0.0]
            self.env["recruit.sms.campaign"]._recruit_sms_send_due(
                clock=(lambda: clock[0], lambda seconds: clock.__setitem__(0, clock[0] + seconds)))

        self._at(26, send)
        for applicant, (_name, _phone, reply, text) in zip(applicants, CAMPAIGN_RECIPIENTS, strict=True):
            if reply:
                self._at(25, lambda a=applicant, t=text: self._receive(a, a.phone_sanitized, t))
        draft = self._at(3, lambda: self.env["hr.applicant"].concat(*(
            self._applicant(name, phone, job, nobody, consent) for name, phone, consent in DRAFT_RECIPIENTS)))
        self.env["recruit.sms.campaign"].with_user(user).create({
            "name": "Open day invitation", "job_id": job.id,
            "body": "Hi {{ object.partner_name }}, join our open day on Saturday 10:00-14:00! Reply YES to book a slot.",
            "recipient_ids": [(6, 0, (draft | applicants.filtered(lambda a: a.partner_name == "Leo King")).ids)],
        })
        return applicants | draft

    def _at(self, hours_ago, action):
        """Run ``action``, then date what it created ``hours_ago`` hours before now; returns
        what ``action`` returns."""
        models_ = ("mail.message", "recruit.sms.inbound", "recruit.sms.consent.event", "recruit.sms.read",
                   "recruit.sms.campaign.line")
        before = {model: self.env[model].sudo().search([], order="id desc", limit=1).id or 0 for model in models_}
        result = action()
        self.env.flush_all()
        when = fields.Datetime.now() - timedelta(hours=hours_ago)
        date_fields = {"mail.message": "date", "recruit.sms.inbound": "received_date",
                       "recruit.sms.consent.event": "date", "recruit.sms.read": "read_date",
                       "recruit.sms.campaign.line": "sent_at"}
        for model, last_id in before.items():
            # what was not sent keeps no date of sending
            self.env[model].sudo().search([("id", ">", last_id)]).filtered(date_fields[model]).write(
                {date_fields[model]: when})
        return result

    def _settle(self, applicants):
        """The conversations' summary dates follow their messages' dates."""
        for applicant in applicants.sudo():
            inbound = self.env["recruit.sms.inbound"].sudo().search([("applicant_id", "=", applicant.id)],
                                                                    order="received_date desc", limit=1)
            messages = self.env["mail.message"].sudo().search(applicant._recruit_sms_conversation_domain(),
                                                              order="date desc", limit=1)
            values = {}
            if messages:
                values["recruit_sms_last_message_date"] = messages.date
            if inbound:
                values["recruit_sms_last_inbound_date"] = inbound.received_date
                if applicant.recruit_sms_waiting_since:
                    values["recruit_sms_waiting_since"] = inbound.received_date
            if values:
                applicant.write(values)
