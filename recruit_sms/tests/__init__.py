from . import test_access, test_composer, test_providers, test_tour
