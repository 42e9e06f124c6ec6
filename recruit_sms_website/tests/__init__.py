from . import test_website_apply
