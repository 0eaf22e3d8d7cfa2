"""A completed course invites its learner to the satisfaction survey (after commit)."""

from django.dispatch import receiver

from courses.signals import course_completed


@receiver(course_completed, dispatch_uid="dialogue-survey-invite")
def invite_to_survey(sender, enrolment, **kwargs):
    from .services import survey_invite

    survey_invite(enrolment=enrolment)
