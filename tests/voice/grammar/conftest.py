"""A real-named home (simulator/homes/real_zh.yaml or real_en.yaml) signed in, no aliases.

The speaking user is linked to a person (妈妈 / Mom), as Home Assistant's users are.
"""

from __future__ import annotations

import pytest

from harness.homes import enable_event_loop_debug  # noqa: F401  (fixture: no asyncio debug mode)
from harness.real_specs import ABSENT, REAL_SPEC_FILES

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
