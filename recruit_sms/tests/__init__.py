from . import (
    test_access,
    test_campaign,
    test_compliance,
    test_composer,
    test_conversation,
    test_inbound,
    test_providers,
    test_sandbox_reply,
    test_status_callback,
    test_tour,
)
