"""Imports every domain's tables so Base.metadata is complete (migrations, tests)."""

from backend.admin import models as admin_models  # noqa: F401
from backend.auth import models as auth_models  # noqa: F401
from backend.campaigns import models as campaign_models  # noqa: F401
from backend.customers import models as customer_models  # noqa: F401
from backend.db import Base
from backend.evaluation import models as evaluation_models  # noqa: F401
from backend.metrics import models as metrics_models  # noqa: F401
from backend.segments import models as segment_models  # noqa: F401

metadata = Base.metadata
