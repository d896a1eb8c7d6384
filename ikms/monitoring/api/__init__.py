"""REST API for monitoring (`/api/v1/monitoring/`): the indicator catalogue (`catalogue`), indicator values
(`values`), risk flags, the ranked risk list and the visit plan (`risks`) and the computation runs (`runs`); the
serializers in `serializers`, the shared permission classes and list base in `common`, the routes in `urls`.

The same predicates (ikms.monitoring.permissions) and scopers (selectors.institutions_for_monitoring,
municipalities_for_user) as the pages decide who sees what; a missing or invisible object is the same 404.
Reads go through the selectors (so single-institution recomputations are honoured), writes only through the
services. Input is checked by Input serializers and rejected as Django ValidationErrors, so every 400 of this
API has the one shape of ikms.core.api.exception_handler: {"message", "extra": {field: [messages]}}."""
