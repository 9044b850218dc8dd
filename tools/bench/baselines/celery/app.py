"""The FastAPI half of the seed-stack baseline: `POST /v1/jobs/{type}` → `delay()` → 202 with the id.

What a team on FastAPI + Celery would write to accept a job: the body validated by a pydantic model,
the task sent with `delay()`. Run by uvicorn with one worker process, as the bench runs one gateway.
"""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from tasks import noop

api = FastAPI()


class JobRequest(BaseModel):
    input: dict


@api.post("/v1/jobs/{job_type}", status_code=202)
def create_job(job_type: str, request: JobRequest):
    # A plain `def`: `delay()` blocks on its Redis round trip, so FastAPI runs it in its thread pool.
    if job_type != "bench.noop":
        raise HTTPException(status_code=404, detail=f"unknown job type {job_type}")
    return {"id": noop.delay(request.input).id}


@api.get("/health")
def health():
    return {"ok": True}
