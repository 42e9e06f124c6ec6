from collections import Counter, defaultdict, namedtuple

from odoo import api, fields, models

from ..tools import gate, phone, texting_law, twilio_api
from ..tools.server_flag import ServerFlag

# One text to decide on: to ``number`` (as typed or E.164; empty: the applicant's own),
# posted on ``applicant`` (an hr.applicant, empty when it was posted elsewhere), sent by
# ``company``, of ``kind`` (one of gate.KINDS, chosen by the server code that sends), on
# ``channel`` (one of gate.CHANNELS: an SMS by default).
GateRequest = namedtuple("GateRequest", "number applicant company kind channel", defaults=(gate.SMS,))

# who reads the sentences the gate writes now (a user id), when it is not the user: set by
# the server code that writes them for someone else, never by a caller
READER = ServerFlag("recruit_sms_reader", default=None)


class RecruitSmsGate(models.AbstractModel):
    """The compliance gate: the one place that decides whether a text may go now, waits
    for the recipient's texting hours, or is blocked (opted-out number, candidate without
    consent, no or invalid number, duplicate in a campaign). Every path that sends asks
    it; the rules themselves are in ``tools/gate.py``.

    A number that belongs to an applicant of the sending company is a candidate's number
    whatever the SMS was posted on (the applicant, another applicant, their contact, a list
    of numbers): the consent and the texting hours of that applicant apply to it."""

    _name = "recruit.sms.gate"
    _description = "SMS compliance gate"

    @api.model
    def _decide(self, requests, *, now=None, hours=True, dedupe=False, known=None):
        """A ``gate.Verdict`` per request, in order. ``hours``: apply the texting hours
        (False when only asking whether a text could ever go); ``dedupe``: a number met
        earlier in ``requests`` is a duplicate (campaigns). ``known``: {index of a request:
        (number, opted out, ids of the applicants holding it)} already read from the
        database for an E.164 number (see ``sms.sms.try_lock_for_update``)."""
        now = now or fields.Datetime.now()
        facts = self._facts(requests)
        known = {index: fact for index, fact in (known or {}).items() if fact[0] == facts[index]["number"]}
        opted_out = {fact[0] for fact in known.values() if fact[1]}
        opted_out |= self.env["phone.blacklist"]._recruit_sms_opted_out(
            fact["number"] for index, fact in enumerate(facts) if index not in known)
        holders = self._holders(requests, facts, known)
        on_whatsapp = self.env["recruit.sms.inbound"]._recruit_sms_whatsapp_last(
            (fact["number"], request.company.id) for request, fact in zip(requests, facts, strict=True)
            if request.channel == gate.WHATSAPP and fact["number"])
        seen, sent = set(), {}
        batches, verdicts = {}, []
        # posted on an applicant but to another number: whoever holds that number decides
        # (the applicant it was posted on when nobody does)
        deciders = [fact["applicant"] or holders.get(index) or fact["posted_on"] for index, fact in enumerate(facts)]
        laws = self._laws(requests, facts, deciders, now=now, recent=hours)
        for index, (request, fact) in enumerate(zip(requests, facts, strict=True)):
            company = request.company
            applicant = deciders[index]
            # the company's texting hours are read only for a candidate's number
            key = company if applicant else None
            if key not in batches:
                window = applicant and gate.window_of(company.recruit_sms_quiet_start, company.recruit_sms_quiet_end,
                                                      company.recruit_sms_quiet_hold_replies)
                batches[key] = gate.Batch(now=now, window=window or None, hours=hours, dedupe=dedupe, seen=seen,
                                          sent=sent)
            recipient = gate.Recipient(
                number=fact["number"],
                invalid=fact["invalid"],
                opted_out=fact["number"] in opted_out,
                candidate=bool(applicant),
                consent=bool(applicant) and applicant.recruit_sms_consent,
                asked_to_stop=bool(applicant) and applicant.recruit_sms_optout_asked,
                cannot_receive=bool(applicant) and applicant.recruit_sms_cannot_receive_number == fact["number"],
                zones=tuple(applicant._recruit_sms_zones(fact["number"])) if applicant and hours else ("UTC",),
                last_inbound=(applicant.recruit_sms_last_inbound_date or None) if applicant else None,
                last_whatsapp=on_whatsapp.get((fact["number"], company.id)),
                **laws.get(index, {}),
            )
            verdicts.append(batches[key].decide(recipient, request.kind, request.channel))
        return verdicts

    @api.model
    def _laws(self, requests, facts, deciders, now=None, recent=True):
        """{index of a request: {"rules": the texting rules of the recipient's place,
        "consent_lapses": when the applicant's implied consent lapses under them, "recent":
        when they got the texts those rules count in the last 24 hours (with ``recent``)}}
        for the requests whose place has rules (``recruit.sms.law.rule``)."""
        rules_of, laws = {}, {}
        for index, (request, fact) in enumerate(zip(requests, facts, strict=True)):
            if not fact["number"]:
                continue
            company = request.company
            if company not in rules_of:
                rules_of[company] = self.env["recruit.sms.law.rule"]._recruit_sms_rules(company)
            if not rules_of[company]:
                continue
            applicant = deciders[index]
            rules = self._rules_at(company, rules_of[company], self._place(applicant, fact["number"]))
            if rules:
                laws[index] = {"rules": rules, "consent_lapses": applicant._recruit_sms_consent_lapses(rules)
                               if applicant else None}
        if recent:
            capped = {facts[index]["number"] for index, law in laws.items() if any(rule.cap for rule in law["rules"])}
            texts = self._recent_texts(capped, now or fields.Datetime.now())
            for index, law in laws.items():
                law["recent"] = tuple(texts.get(facts[index]["number"], ()))
        return laws

    @api.model
    def _rules_for(self, company, applicant, number):
        """The texting rules that apply to a text of ``company`` to ``number`` (held by
        ``applicant``, when one does)."""
        return self._rules_at(company, self.env["recruit.sms.law.rule"]._recruit_sms_rules(company),
                              self._place(applicant, number))

    @api.model
    def _rules_at(self, company, rules, place):
        """Those of ``company``'s texting ``rules`` that apply at ``place``: all of them
        when the company applies the strictest everywhere."""
        return tuple(rule for rule in rules if company.recruit_sms_law_everywhere or rule.applies(place))

    @api.model
    def _place(self, applicant, number):
        """Where the recipient is: the applicant's address when it names a country, else
        the number's (its area code's state for a North American number)."""
        partner = applicant.partner_id if applicant else None
        if partner and partner.country_id:
            return texting_law.place_of_address(partner.country_id.code, partner.state_id.code, partner.state_id.name)
        return texting_law.place_of_number(number)

    @api.model
    def _recent_texts(self, numbers, now):
        """{number: when each automated or campaign text (another module's counts as
        automated) went to it in the last 24 hours}, from the notifications of the texts
        handed to the provider (Odoo keeps them once it deletes the SMS)."""
        if not numbers:
            return {}
        self.env["mail.notification"].flush_model(["sms_number", "recruit_sms_kind", "notification_status"])
        self.env["mail.message"].flush_model(["date"])
        # SQL: one grouped read for the batch, on an indexed number
        self.env.cr.execute("""
            SELECT n.sms_number, m.date
              FROM mail_notification n JOIN mail_message m ON m.id = n.mail_message_id
             WHERE n.notification_type = 'sms' AND n.sms_number IN %s AND m.date > %s
               AND (n.recruit_sms_kind IS NULL OR n.recruit_sms_kind IN %s)
               AND n.notification_status IN ('process', 'pending', 'sent')
        """, [tuple(numbers), now - texting_law.DAY, (gate.AUTOMATED, gate.CAMPAIGN)])
        recent = defaultdict(list)
        for number, date in self.env.cr.fetchall():
            recent[number].append(date)
        return recent

    @api.model
    def _refusals(self, numbers, company):
        """{number: why an automated text of ``company`` may not go to it now} for those of
        ``numbers`` that the gate stops (blocked or outside their hours), in the gate's few
        words: whoever sends this way is told no more of a candidate. Numbers that cannot
        be read are left to the provider, as on Odoo's SMS queue."""
        requests = [GateRequest(number, None, company, gate.AUTOMATED) for number in numbers]
        labels = self._labels()
        return {request.number: self.env._("Not sent: %(reason)s", reason=labels[verdict.code])
                for request, verdict in zip(requests, self._decide(requests), strict=True)
                if verdict.code and verdict.code not in (gate.NO_NUMBER, gate.INVALID_NUMBER)}

    @api.model
    def _split_for_campaign(self, applicants, company):
        """(the applicants a campaign of ``company`` may text, {applicant: (verdict, request)}
        of the others), in ``applicants``' order, one text per number. The reasons in words
        are the caller's to ask (``_message``) where it shows them."""
        requests = [GateRequest(None, applicant, company, gate.CAMPAIGN) for applicant in applicants]
        verdicts = self._decide(requests, hours=False, dedupe=True)
        eligible_ids, excluded = [], {}
        for applicant, request, verdict in zip(applicants, requests, verdicts, strict=True):
            if verdict.blocked:
                excluded[applicant] = (verdict, request)
            else:
                eligible_ids.append(applicant.id)
        # one recordset at the end: growing it one applicant at a time is quadratic
        return self.env["hr.applicant"].browse(eligible_ids), excluded

    @api.model
    def _held_now(self, applicants, company):
        """Why some of ``applicants`` a campaign of ``company`` may text would be held if it
        went now (their texting hours, the law of their place), as ``_summary`` says it."""
        requests = [GateRequest(None, applicant, company, gate.CAMPAIGN) for applicant in applicants]
        return self._summary(verdict for verdict in self._decide(requests) if verdict.held)

    @api.model
    def _summary(self, verdicts):
        """'reason: count' lines of why these texts cannot go (False when none)."""
        kinds = Counter(self._label(verdict) for verdict in verdicts)
        return "\n".join(f"{kind}: {count}" for kind, count in sorted(kinds.items())) or False

    @api.model
    def _facts(self, requests):
        facts = []
        for request in requests:
            applicant = request.applicant.sudo() if request.applicant else None
            if applicant and not request.number:
                # the applicant's own number, as Odoo reads it (valid E.164, or none)
                raw, number = applicant.partner_phone or "", applicant.phone_sanitized or None
            else:
                raw = request.number or ""
                # an international number needs no country: spare reading one (campaign lines
                # carry E.164 numbers, rechecked every second while they go)
                country = None
                if not raw.startswith("+"):
                    country = applicant._recruit_sms_country_code() if applicant else request.company.country_id.code
                number = phone.try_e164(raw, country)
            posted_on = None
            if applicant and number and number not in (applicant.phone_sanitized, applicant.partner_phone_sanitized):
                posted_on, applicant = applicant, None
            facts.append({"applicant": applicant, "posted_on": posted_on, "raw": raw, "number": number,
                          "invalid": bool(raw) and not number})
        return facts

    @api.model
    def _holders(self, requests, facts, known):
        """{index of a request: the applicant whose consent and hours apply} for the texts
        not posted on an applicant: an applicant of the sending company (or of none) who
        holds the number, preferring one who consented."""
        wanted = [index for index, fact in enumerate(facts) if not fact["applicant"] and fact["number"]]
        if not wanted:
            return {}
        applicants = self.env["hr.applicant"].sudo().with_context(active_test=False)
        ids = {applicant_id for index in wanted if index in known for applicant_id in known[index][2]}
        lookup = defaultdict(set)  # company: numbers not read yet (hr.applicant._recruit_sms_holders: who holds them)
        for index in wanted:
            if index not in known:
                lookup[requests[index].company].add(facts[index]["number"])
        for company, numbers in lookup.items():
            ids.update(applicants._recruit_sms_holders(numbers, company).ids)
        if not ids:
            return {}
        found = applicants.browse(ids).sorted(lambda a: (not a.recruit_sms_consent, -a.id))
        holders = {}
        for index in wanted:
            number, company_id = facts[index]["number"], requests[index].company.id
            for applicant in found:
                if (number in (applicant.phone_sanitized, applicant.partner_phone_sanitized)
                        and applicant.company_id.id in (company_id, False)):
                    holders[index] = applicant
                    break
        return holders

    # ------------------------------------------------------------
    # What a verdict means to a person
    # ------------------------------------------------------------

    @api.model
    def _labels(self):
        """The reason codes as the campaign review counts them."""
        return {
            gate.NO_NUMBER: self.env._("no phone number"),
            gate.INVALID_NUMBER: self.env._("invalid number"),
            gate.OPTED_OUT: self.env._("opted out"),
            gate.NO_CONSENT: self.env._("no consent"),
            gate.OPT_OUT_ASKED: self.env._("may have asked to stop"),
            gate.DUPLICATE: self.env._("duplicate number"),
            gate.CONSENT_LAPSED: self.env._("implied consent lapsed"),
            gate.CANNOT_RECEIVE: self.env._("cannot receive texts (landline or no such number)"),
            gate.WHATSAPP_WINDOW: self.env._("outside the WhatsApp window"),
            gate.QUIET_HOURS: self.env._("outside texting hours"),
            gate.STATE_HOURS: self.env._("outside the hours of the recipient's law"),
            gate.FREQUENCY_CAP: self.env._("texts per 24 hours reached"),
        }

    @api.model
    def _reader(self):
        """Who reads the sentences the gate writes: the user, or the owner of what they are
        written into (a campaign line's reason is read by the campaign's recruiter, whoever
        ran the engine). It only chooses a language and a time zone."""
        reader = self.env["res.users"].browse(READER.get() or []).exists()
        return reader[:1] or self.env.user

    def _label(self, verdict):
        """The verdict's reason in a few words, naming the rule of the recipient's place."""
        label = self._labels()[verdict.code]
        return f"{label} ({verdict.rule})" if verdict.rule else label

    @api.model
    def _message(self, verdict, request):  # noqa: PLR0911, PLR0912 (one sentence per reason)
        """Why ``request`` may not go now, in words that say how to fix it."""
        code = verdict.code
        fact = self._facts([request])[0]
        applicant, raw = fact["applicant"], fact["raw"]
        name = applicant and (applicant.partner_name or applicant.display_name)
        number = fact["number"] or raw
        if code == gate.NO_NUMBER:
            if name:
                return self.env._("%(name)s has no phone number: add one in the Phone field.", name=name)
            return self.env._("Not sent: there is no phone number to text.")
        if code == gate.INVALID_NUMBER:
            country = applicant._recruit_sms_country_code() if applicant else request.company.country_id.code
            try:
                phone.to_e164(raw, country)
                reason = phone.REASONS[phone.INVALID]
            except phone.PhoneError as error:
                reason = phone.REASONS[error.reason]
            return self.env._(
                "The phone number %(number)s cannot be texted (%(reason)s): correct it in the Phone field, "
                "in international form (e.g. +1 415 555 2671).", number=raw, reason=reason)
        if code == gate.OPTED_OUT:
            last = self.env["recruit.sms.consent.event"]._last_opt_out(number)
            if last.source in ("keyword", "twilio_21610"):
                return self.env._(
                    "%(number)s opted out (replied STOP on %(date)s): texts can resume only when they text START.",
                    number=number, date=self._reader()._recruit_sms_day(last.date))
            return self.env._(
                "%(number)s is opted out of SMS%(reason)s: use ^opt-in <reason> if it was a mistake.",
                number=number, reason=f" ({last.reason})" if last.reason else "")
        if code == gate.NO_CONSENT:
            if name:
                return self.env._(
                    '%(name)s has not agreed to receive text messages: tick "SMS consent" '
                    'once they said "Yes, I want to be contacted by SMS".', name=name)
            return self.env._("Not sent: %(number)s belongs to an applicant who has not agreed to receive text "
                              "messages.", number=number)
        if code == gate.OPT_OUT_ASKED:
            return self.env._(
                "The last message of %(who)s may ask to stop texts: on the applicant's form, opt them out or dismiss "
                "it before automated texts go.", who=name or number)
        if code == gate.CONSENT_LAPSED:
            return self.env._(
                "%(who)s's consent to texts was imported, so it is only implied, and it lapsed under %(rule)s: ask them "
                "whether they still want texts (your own message may go), and record their consent again if they "
                "do.", who=name or number, rule=verdict.rule)
        if code == gate.CANNOT_RECEIVE:
            return self.env._(
                "The carrier answered that %(number)s cannot receive texts (error %(code)s: %(reason)s): correct the "
                "number in the Phone field to text %(who)s again.", number=number, who=name or number,
                code=applicant.recruit_sms_cannot_receive_code,
                reason=twilio_api.error_reason(applicant.recruit_sms_cannot_receive_code))
        if code == gate.WHATSAPP_WINDOW:
            return self.env._(
                "%(who)s has not written on WhatsApp in the last 24 hours, so WhatsApp accepts only an approved "
                "template: choose one, or text by SMS.", who=name or number)
        if code == gate.DUPLICATE:
            return self.env._("Duplicate number in this campaign (%(number)s)", number=number)
        when = verdict.hold_until and self._reader()._recruit_sms_moment(verdict.hold_until)
        if code == gate.QUIET_HOURS:
            return self.env._("Held until %(when)s, the recipient's texting hours", when=when)
        if code == gate.STATE_HOURS:
            return self.env._("Held until %(when)s: %(rule)s allows texts only within its hours at the "
                              "recipient's place.", when=when, rule=verdict.rule)
        if code == gate.FREQUENCY_CAP:
            return self.env._("Held until %(when)s: %(rule)s allows no more texts to this person within 24 "
                              "hours.", when=when, rule=verdict.rule)
        return False
