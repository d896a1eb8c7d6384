"""Signals of the monitoring app."""

from django.dispatch import Signal

#: Sent after a computation's results are committed (a complete run or a recomputation of some institutions),
#: with `run`, the ComputationRun. Receiver: the warm-up of the result pages' cache (ikms.monitoring.warm).
results_changed = Signal()
