"""Views of the library room outside the page tree: the item's file, served inline."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.models import Page

from .models import INLINE_TYPES, LibraryIndexPage, LibraryItemPage


@xframe_options_sameorigin
def library_file(request, pk: int):
    """The item's file: inline for PDFs, audio and video (read on a phone without saving it),
    an attachment for anything else; never sniffed. Non-public items: signed-in users only.

    The page's own <object> embeds this URL, hence SAMEORIGIN framing.
    """
    item = LibraryItemPage.objects.live().filter(pk=pk).select_related("file").first()
    if item is None:
        raise Http404
    if not item.visible_to(request.user):
        return redirect_to_login(request.get_full_path())
    if item.file_id is None:
        raise Http404
    document = item.file
    content_type = item.file_type
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=document.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if item.is_public else "private"
    return response


def library_redirect(request):
    """/library/ (the English address) leads to the e-library wherever it lives."""
    index = LibraryIndexPage.objects.live().first()
    if index is None:
        raise Http404
    url = index.get_url(request=request) or Page.objects.get(pk=index.pk).url
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)
