"""A mock InProces: the VNG ZGW Zaken API 1.5 and Catalogi API 1.3 as Open Zaak serves them, on generated
demo data or a given dataset, with fault injection and a control API. Plain WSGI (werkzeug), no Flask.

    python -m connectors.mock_inproces --port 8001 --secret S     (see cli.py for all options)
    with running_mock() as mock: ...                              (testing.py, for tests)
"""

from .faults import Faults
from .server import MockInProces
from .store import MockStore, NotFound

__all__ = ["Faults", "MockInProces", "MockStore", "NotFound"]
