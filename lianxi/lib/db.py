"""Database housekeeping shared by the apps."""

from django.db import connections


def analyze_after_migrate(sender, *, using="default", plan=None, **kwargs):
    """``post_migrate`` receiver: on SQLite, refresh the planner's statistics when migrations ran.

    A migration that rebuilds a table (most ``AlterField``s on SQLite) drops that table's
    ``sqlite_stat1`` rows, and a new index has none; without them SQLite guesses, and on a
    city-sized database it guessed wrong (``/api/v1/needs`` sorted 430,000 needs: 1,200 ms, 48 ms
    after ``ANALYZE``). So ``lianxi serve --migrate``, ``lianxi demo``, ``lianxi generate`` and a
    plain ``migrate`` leave fresh statistics. Nothing to do when no migration ran (``plan`` empty,
    or a ``flush``, which sends no plan), nor on PostgreSQL, whose autovacuum keeps statistics."""
    if not plan:
        return
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def insert_prepared(objs: list, *, with_ids: bool = True) -> None:
    """Insert model instances of one model with one ``executemany`` of prepared tuples, inside the
    caller's transaction; with ``with_ids`` each instance gets its primary key.

    What ``bulk_create`` does, without compiling every value into the SQL text (about two thirds of
    its cost on 100,000 needs): each column's value goes through the field's ``get_db_prep_save``
    only when the column needs it (dates, times, JSON, decimals); text, numbers, booleans and
    foreign-key ids go as they are. No ``save()``, no signals, like ``bulk_create``.

    Primary keys: on PostgreSQL reserved from the table's sequence first (``nextval``, safe beside
    other writers); on SQLite the rows take the next ids in order while this transaction holds
    the write lock, the last one read back with ``last_insert_rowid()``."""
    if not objs:
        return
    from django.db import connection, models, transaction

    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("insert_prepared runs inside the caller's transaction")
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    postgres = connection.vendor == "postgresql"
    give_ids = with_ids and postgres
    fields = [f for f in meta.concrete_fields if f is not pk or give_ids]
    if give_ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, pk.column, len(objs)])
            for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = new_id
    as_is = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField)
    prepared = [None if isinstance(f.target_field if f.is_relation else f, as_is) else f for f in fields]
    for obj in objs:
        for f in fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                f.pre_save(obj, add=True)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    attnames = [f.attname for f in fields]
    params = []
    to_prepare = [(i, field) for i, field in enumerate(prepared) if field is not None]
    # The same date or time recurs across a batch (published_at, the audit rows' time): prepared once.
    cache: dict = {}
    for obj in objs:
        values = [getattr(obj, name) for name in attnames]
        for i, field in to_prepare:
            value = values[i]
            try:
                values[i] = cache[i, value]
            except KeyError:
                values[i] = cache[i, value] = field.get_db_prep_save(value, connection)
            except TypeError:  # unhashable (a JSON value)
                values[i] = field.get_db_prep_save(value, connection)
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        if with_ids and not postgres:
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            for offset, obj in enumerate(objs):
                obj.pk = last - len(objs) + 1 + offset
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
