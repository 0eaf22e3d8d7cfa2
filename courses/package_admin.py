"""What H5P and SCORM packages a trainer sees in the admin: their units' collections and the
shared ones (`courses.collections.packages_visible_to`), in the listing and in the chooser a
lesson block opens; administrators see all. Used by both packages' snippet viewsets."""

from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from .collections import packages_visible_to


class _ScopedObjects:
    def get_object_list(self):
        return packages_visible_to(self.request.user, super().get_object_list())


class ScopedChooseView(_ScopedObjects, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedObjects, ChooseResultsView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


class ScopedPackagesMixin:
    """For a SnippetViewSet of packages with a `collection` field."""

    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        return packages_visible_to(request.user, self.model._default_manager.all())
