"""The steering pack's job: takes the pack's id and makes its PDF once
(services.steering_pack_generate), however often it is delivered."""

from celery import shared_task

from metrics.steering.services import steering_pack_generate


@shared_task(acks_late=True)
def steering_pack_generate_task(pack_id: int) -> bool:
    return steering_pack_generate(pack_id)
