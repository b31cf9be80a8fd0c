"""SQLAlchemy storage: engines, migrations, the unit of work and its repositories.

Typical wiring (the composition root)::

    engine = make_engine(settings.database_url)
    upgrade(engine)
    uow_factory = make_uow_factory(engine)
"""

from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory

__all__ = ["SqlAlchemyUnitOfWork", "make_engine", "make_uow_factory", "upgrade"]
