"""Every table leash has, gathered so Alembic and tests see one metadata."""

from leash import changelog as _changelog  # noqa: F401
from leash.addons import models as _addons  # noqa: F401
from leash.context import models as _context  # noqa: F401
from leash.db.base import metadata
from leash.events import models as _events  # noqa: F401
from leash.favorites import models as _favorites  # noqa: F401
from leash.feature_types import models as _feature_types  # noqa: F401
from leash.features import models as _features  # noqa: F401
from leash.lifecycle import models as _lifecycle  # noqa: F401
from leash.links import models as _links  # noqa: F401
from leash.maintenance import models as _maintenance  # noqa: F401
from leash.metrics import models as _metrics  # noqa: F401
from leash.projects import models as _projects  # noqa: F401
from leash.segments import models as _segments  # noqa: F401
from leash.signup import models as _signup  # noqa: F401
from leash.strategy_definitions import models as _strategy_definitions  # noqa: F401
from leash.tags import models as _tags  # noqa: F401
from leash.tokens import models as _tokens  # noqa: F401
from leash.users import lockouts as _lockouts  # noqa: F401
from leash.users import models as _users  # noqa: F401

__all__ = ["metadata"]
