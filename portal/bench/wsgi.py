"""The portal's WSGI application as the benchmark's gunicorn serves it: the same application,
with each response saying how many SQL queries it took (X-Bench-Queries). Production's
portal.wsgi has no such thing: the count costs a function call per query, nothing else."""

from django.db import connection

from portal.wsgi import application as portal_application

HEADER = "X-Bench-Queries"


def application(environ, start_response):
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def start(status, headers, exc_info=None):
        # Django starts the response once the view and every middleware are done.
        return start_response(status, [*headers, (HEADER, str(queries))], exc_info)

    with connection.execute_wrapper(count):
        return portal_application(environ, start)
