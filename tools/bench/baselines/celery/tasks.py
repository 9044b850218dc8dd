"""The Celery half of the seed-stack baseline: one no-op task, broker and result backend on Redis.

Configured the way the Celery docs' first steps configure it (`Celery(broker=…, backend=…)`), with
Celery's defaults otherwise: JSON, prefork pool, prefetch multiplier 4, results kept one day.
"""

import os

from celery import Celery
from celery.signals import worker_ready

app = Celery(
    "bench",
    broker=os.environ["CELERY_BROKER_URL"],
    backend=os.environ["CELERY_RESULT_BACKEND"],
)


@app.task(name="bench.noop")
def noop(data):
    """The same no-op as Gantry's `bench.noop`: returns `n` at once."""
    return {"n": data.get("n", 0)}


@worker_ready.connect
def announce_ready(**_):
    # The bench waits for this line: at log level WARNING Celery itself prints nothing when ready,
    # and INFO would log every task.
    print("bench: celery worker ready", flush=True)
