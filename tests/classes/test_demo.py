"""seed_demo adds a finished class with completions and a running class in Gia Lai."""

import pytest
from django.core.management import call_command

from courses.models import Enrolment
from courses.models.classes import AttendanceMark, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_classes(client):
    call_command("seed_demo", verbosity=0)
    counts = (TrainingSession.objects.count(), AttendanceMark.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (TrainingSession.objects.count(), AttendanceMark.objects.count()) == counts
    finished = TrainingSession.objects.get(status="finished")
    running = TrainingSession.objects.get(status="running")
    assert finished.venue.name == running.venue.name == "Xã Ia Grai"
    assert finished.venue.get_root().code == "52"  # Gia Lai
    completed = Enrolment.objects.filter(course=finished.course, source="class", status="completed")
    assert completed.count() == 6
    assert running.members.count() == 6 and running.self_checkin
    assert running.checkin_mode == TrainingSession.CheckinMode.ROTATING
    # The demo learner can check in with the code on the demo trainer's check-in screen.
    from courses.classes.checkin import checkin_current

    assert client.login(username="learner", password="hocso-demo")
    code, _seconds = checkin_current(running)
    response = client.post(f"/classes/{running.pk}/checkin/{code}/")
    assert response.status_code == 200
    assert AttendanceMark.objects.filter(source="checkin", learner__username="learner").exists()
    client.logout()
    # The demo trainer sees both on the class list.
    assert client.login(username="trainer", password="hocso-demo")
    page = client.get("/classes/").content.decode()
    assert finished.title in page and running.title in page
