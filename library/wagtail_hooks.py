"""Admin and serving hooks of the library room."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .models import CultureEntryPage, ScopedApprovalTask


@hooks.register("before_serve_document")
def library_documents_guard(document, request):
    """Wagtail's /documents/ URLs must not open what the item's page would refuse: files of
    non-public (or unpublished) items and of unpublished archive entries need a signed-in
    user; an unpublished entry's files, an editor."""
    from .selectors import library_documents_restricted

    if request.user.is_staff:
        return None
    if library_documents_restricted().filter(pk=document.pk).exists():
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        from .models import CultureMedia

        if CultureMedia.objects.filter(document=document, entry__live=False).exists():
            raise PermissionDenied
    return None


@hooks.register("after_create_page")
def culture_entry_contributor(request, page):
    """The person who creates an archive entry is its contributor."""
    if isinstance(page, CultureEntryPage) and page.contributor_id is None:
        CultureEntryPage.objects.filter(pk=page.pk).update(contributor=request.user)


@hooks.register("before_edit_page")
def culture_entry_publish_in_scope(request, page):
    """A moderator publishes directly only entries inside their scope (the workflow's task
    applies the same rule to approvals)."""
    if request.method != "POST" or "action-publish" not in request.POST:
        return None
    specific = page.specific
    if isinstance(specific, CultureEntryPage) and not ScopedApprovalTask()._in_scope(
        specific, request.user
    ):
        raise PermissionDenied
    return None
