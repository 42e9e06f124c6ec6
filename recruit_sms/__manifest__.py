{
    "name": "Recruitment SMS",
    "version": "19.0.1.0.0",
    "summary": "Two-way texting and email with applicants, inside Odoo Recruitment",
    "category": "Human Resources/Recruitment",
    "author": "recruit_sms developers",
    "license": "LGPL-3",
    "depends": [
        "hr_recruitment",
        "mail",
        "phone_validation",
        "sms",
        "sms_twilio",
    ],
    "external_dependencies": {
        "python": ["phonenumbers", "twilio", "requests"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/recruit_sms_security.xml",
        "data/mail_templates.xml",
        "data/ir_cron.xml",
        "wizard/recruit_sms_composer_views.xml",
        "wizard/recruit_sms_inbound_link_views.xml",
        "wizard/recruit_sms_import_views.xml",
        "views/recruit_sms_inbound_views.xml",
        "views/recruit_sms_conversation_views.xml",
        "views/recruit_sms_list_views.xml",
        "views/recruit_sms_campaign_views.xml",
        "views/res_config_settings_views.xml",
        "views/sms_twilio_account_manage_views.xml",
        "views/hr_applicant_views.xml",
        "views/hr_job_views.xml",
    ],
    "demo": [
        "demo/recruit_sms_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "recruit_sms/static/src/paste/*",
            "recruit_sms/static/src/conversation/*",
            "recruit_sms/static/src/systray/*",
            "recruit_sms/static/src/scss/*",
        ],
        "web.assets_tests": [
            "recruit_sms/static/src/tours/*",
        ],
    },
}
