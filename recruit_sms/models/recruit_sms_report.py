from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

from ..tools import deliverability
from ..tools import inbound as inbound_rules
from .recruit_sms_campaign_line import opt_out_campaign_line
from .sms_sms import TEXT_CHANNELS

# the scheduled action refreshes the figures every quarter of an hour (about 10 s at a
# million texts); the dashboard refreshes them itself only when they were never computed or
# the scheduled action has not run for this long
STALE_AFTER = timedelta(hours=2)
REFRESHED_PARAM = "recruit_sms.report_refreshed_at"
# a sent text counts as answered when the candidate writes within this delay
REPLY_WINDOW_DAYS = inbound_rules.REPLY_WINDOW_DAYS


class RecruitSmsReport(models.Model):
    """Texting analytics: one row per text sent or received with an applicant, and per
    opt-out, with who, which job and campaign, and how long the other side took to answer.

    A materialized view, refreshed by a scheduled action (and when the dashboard opens on
    figures older than a quarter of an hour): the dashboard reads rows indexed by date
    instead of aggregating every chatter message of the database on each click."""

    _name = "recruit.sms.report"
    _description = "Texting analytics"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    date = fields.Datetime(readonly=True)
    direction = fields.Selection([("out", "Sent"), ("in", "Received")], readonly=True)
    applicant_id = fields.Many2one("hr.applicant", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    job_id = fields.Many2one("hr.job", "Job Position", readonly=True)
    user_id = fields.Many2one("res.users", "Recruiter", readonly=True)
    campaign_id = fields.Many2one("recruit.sms.campaign", readonly=True)
    channel = fields.Selection(TEXT_CHANNELS, readonly=True)
    segments = fields.Integer("SMS segments", readonly=True, aggregator="sum",
                              help="The SMS (segments) each text took: what the provider bills.")
    sent = fields.Integer(readonly=True, aggregator="sum")
    delivered = fields.Integer(readonly=True, aggregator="sum")
    failed = fields.Integer(readonly=True, aggregator="sum")
    received = fields.Integer(readonly=True, aggregator="sum")
    replied = fields.Integer("Answered by the candidate", readonly=True, aggregator="sum",
                             help="Sent texts the candidate answered within 7 days.")
    opted_out = fields.Integer("Opt-outs", readonly=True, aggregator="sum")
    # what the carriers answered for campaign texts (Deliverability)
    sender = fields.Char("Sent from", readonly=True, help="The number or Messaging Service a campaign text went from.")
    filtered = fields.Integer("Filtered (30007)", readonly=True, aggregator="sum")
    unregistered = fields.Integer("Unregistered (30034)", readonly=True, aggregator="sum")
    cannot_receive = fields.Integer("Landline or no such number", readonly=True, aggregator="sum")
    reply_hours = fields.Float(
        "Hours to answer", readonly=True, aggregator="avg",
        help="For a text received: hours until the recruiter answered. For a text sent: hours until the candidate "
             "answered (within 7 days).")

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE MATERIALIZED VIEW %(table)s AS
            WITH texts AS (
                -- texts sent to applicants: one per SMS notification
                SELECT m.date, 'out' AS direction, m.res_id AS applicant_id, n.notification_status AS status,
                       line.campaign_id, n.recruit_sms_segments AS segments,
                       CASE WHEN n.recruit_sms_whatsapp THEN 'whatsapp' ELSE 'sms' END AS channel,
                       line.sender, line.error_code
                  FROM mail_notification n
                  JOIN mail_message m ON m.id = n.mail_message_id AND m.model = 'hr.applicant'
                  LEFT JOIN recruit_sms_campaign_line line ON line.mail_message_id = m.id
                 WHERE n.notification_type = 'sms'
                UNION ALL
                -- texts received from applicants
                SELECT i.received_date, 'in', i.applicant_id, 'received', line.campaign_id,
                       CASE WHEN i.channel = 'whatsapp' THEN 0 ELSE i.num_segments END, i.channel, line.sender, NULL
                  FROM recruit_sms_inbound i
                  LEFT JOIN recruit_sms_campaign_line line ON line.id = i.campaign_line_id
                 WHERE i.applicant_id IS NOT NULL
            ), following AS (
                -- the next text each way of the same conversation, in one sort
                SELECT t.*,
                       MIN(t.date) FILTER (WHERE t.direction = 'in') OVER later AS next_in,
                       MIN(t.date) FILTER (WHERE t.direction = 'out') OVER later AS next_out
                  FROM texts t
                WINDOW later AS (PARTITION BY t.applicant_id ORDER BY t.date
                                 ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
            ), answered AS (
                SELECT f.*, CASE WHEN f.direction = 'out' THEN f.next_in ELSE f.next_out END AS answered_at
                  FROM following f
            )
            SELECT row_number() OVER (ORDER BY a.date, a.applicant_id) AS id,
                   a.date, a.direction, a.applicant_id, app.company_id, app.job_id,
                   COALESCE(app.recruit_sms_assigned_user_id, app.user_id) AS user_id, a.campaign_id,
                   a.channel, COALESCE(a.segments, 0) AS segments,
                   (a.direction = 'out')::int AS sent,
                   (a.direction = 'out' AND a.status = 'sent')::int AS delivered,
                   (a.direction = 'out' AND a.status IN ('exception', 'bounce', 'canceled'))::int AS failed,
                   (a.direction = 'in')::int AS received,
                   (a.direction = 'out' AND a.answered_at <= a.date + interval '%(window)s days')::int AS replied,
                   0 AS opted_out,
                   CASE WHEN a.direction = 'in' OR a.answered_at <= a.date + interval '%(window)s days'
                        THEN EXTRACT(EPOCH FROM a.answered_at - a.date) / 3600 END AS reply_hours,
                   a.sender, (a.error_code = %(filtered)s)::int AS filtered,
                   (a.error_code = %(unregistered)s)::int AS unregistered,
                   (a.error_code IN %(cannot_receive)s)::int AS cannot_receive
              FROM answered a
              JOIN hr_applicant app ON app.id = a.applicant_id
            UNION ALL
            -- opt-outs, each counted against the campaign that last reached the number before it
            SELECT -e.id, e.date, 'in', e.applicant_id, COALESCE(app.company_id, e.company_id), app.job_id,
                   COALESCE(app.recruit_sms_assigned_user_id, app.user_id), opted_line.campaign_id,
                   COALESCE(inb.channel, 'sms'), 0, 0, 0, 0, 0, 0, 1, NULL, opted_line.sender, 0, 0, 0
              FROM recruit_sms_consent_event e
              LEFT JOIN hr_applicant app ON app.id = e.applicant_id
              LEFT JOIN recruit_sms_inbound inb ON inb.id = e.inbound_id
              %(opted_line)s
             WHERE e.event = 'opt_out'
        """, table=SQL.identifier(self._table), window=SQL(str(REPLY_WINDOW_DAYS)),
                                opted_line=opt_out_campaign_line("e"), filtered=deliverability.FILTERED,
                                unregistered=deliverability.UNREGISTERED,
                                cannot_receive=tuple(sorted(deliverability.CANNOT_RECEIVE))))
        self.env.cr.execute(SQL("CREATE UNIQUE INDEX ON %s (id)", SQL.identifier(self._table)))
        self.env.cr.execute(SQL("CREATE INDEX ON %s (date)", SQL.identifier(self._table)))
        self.env.cr.execute(SQL("CREATE INDEX ON %s (company_id, date)", SQL.identifier(self._table)))

    @api.model
    def _recruit_sms_refresh(self):
        """Bring the figures up to date (readers are not blocked while it runs)."""
        self.env.flush_all()
        self.env.cr.execute(SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table)))
        self.env["ir.config_parameter"].sudo().set_param(REFRESHED_PARAM, fields.Datetime.to_string(fields.Datetime.now()))
        self.env.invalidate_all()

    @api.model
    def action_recruit_sms_dashboard(self):
        """Texting analytics on the last 30 days, saying how fresh they are."""
        self.check_access("read")
        refreshed = self.env["ir.config_parameter"].sudo().get_param(REFRESHED_PARAM)
        if not refreshed or fields.Datetime.now() - fields.Datetime.from_string(refreshed) > STALE_AFTER:
            self._recruit_sms_refresh()
            refreshed = self.env["ir.config_parameter"].sudo().get_param(REFRESHED_PARAM)
        action = self.env["ir.actions.act_window"]._for_xml_id("recruit_sms.recruit_sms_report_action")
        action["name"] = self.env._("Texting (as of %(when)s)", when=self.env.user._recruit_sms_moment(
            fields.Datetime.from_string(refreshed)))
        action["context"] = {"search_default_last_30_days": 1, **dict(self.env.context.get("recruit_sms_report_context") or {})}
        return action

    @api.model
    def recruit_sms_figures(self, domain=None):
        """The dashboard's headline figures over the rows of ``domain`` the user may read:
        response rate (the share of the applicants texted who answered one of those texts
        within 7 days), median and 90th percentile hours to answer each way, opt-outs per
        1,000 texts sent."""
        try:  # the dashboard's filters, as the browser sends them
            query = self._search(Domain(domain or []))
        except (ValueError, TypeError, KeyError) as error:
            raise UserError(self.env._("Filters: they are not a valid search (%(error)s); clear them and search again.",
                                       error=str(error)[:200])) from None
        try:
            self.env.cr.execute(SQL("""
            SELECT COUNT(DISTINCT applicant_id) FILTER (WHERE sent = 1),
                   COUNT(DISTINCT applicant_id) FILTER (WHERE replied = 1), SUM(sent), SUM(opted_out),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY reply_hours) FILTER (WHERE direction = 'in'),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY reply_hours) FILTER (WHERE direction = 'in'),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY reply_hours) FILTER (WHERE direction = 'out'),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY reply_hours) FILTER (WHERE direction = 'out')
              FROM %s WHERE %s
            """, query.from_clause, query.where_clause or SQL("TRUE")))
        except ValueError as error:  # a value the database cannot take (a NUL byte)
            raise UserError(self.env._("Filters: they hold a value that cannot be searched (%(error)s); clear them.",
                                       error=str(error)[:200])) from None
        (texted, answered, sent, opted_out,
         recruiter_p50, recruiter_p90, candidate_p50, candidate_p90) = self.env.cr.fetchone()
        sent, opted_out = sent or 0, opted_out or 0
        return {
            "sent": sent,
            # conversations texted that the candidate answered within the window
            "response_rate": answered / texted if texted else None,
            "recruiter_hours_p50": recruiter_p50, "recruiter_hours_p90": recruiter_p90,
            "candidate_hours_p50": candidate_p50, "candidate_hours_p90": candidate_p90,
            "opt_outs_per_1000": 1000 * opted_out / sent if sent else None,
        }
