{
    "name": "Recruitment SMS: website applications",
    "version": "19.0.1.0.0",
    "summary": "SMS consent on the website's job application form, and the job's text on apply",
    "category": "Human Resources/Recruitment",
    "author": "recruit_sms developers",
    "license": "LGPL-3",
    "depends": [
        "recruit_sms",
        "website_hr_recruitment",
    ],
    "data": [
        "views/website_hr_recruitment_templates.xml",
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
