from odoo.tools.sql import drop_view_if_exists

from . import controllers, models, providers, wizard


def uninstall_hook(env):
    """The analytics are a materialized view, which Odoo does not drop by itself: drop it
    before the tables it reads go."""
    drop_view_if_exists(env.cr, "recruit_sms_report")
