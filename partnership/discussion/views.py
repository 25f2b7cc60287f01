"""Pages of a record's discussion: the thread (read by every seat that sees the record,
written by those who work on it), and the scoped download of a file posted in it."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from partnership.discussion import selectors, services
from partnership.discussion.forms import CommentForm
from partnership.permissions import require
from partnership.scoping_views import WRITE, PartnershipMixin
from portal.views import HtmxPartialMixin

PAGE_SIZE = 20


class DiscussionView(HtmxPartialMixin, PartnershipMixin, TemplateView):
    """A record's comments, newest first, twenty a page, and the box to post one. Its record's
    page loads it into its Discussion section (htmx: the thread only); a post from there
    answers with the thread again, without a page reload."""

    template_name = "partnership/discussion.html"
    partial_name = "thread"

    @cached_property
    def record(self):
        return selectors.discussed_record_get(
            user=self.request.user, partnership=self.partnership,
            record_type=self.kwargs["record_type"], pk=self.kwargs["pk"])

    def people(self):
        """Whom the poster may mention: not themselves (a box of their own name among the
        others only ever notifies them of what they wrote)."""
        return selectors.mention_candidates(
            record=self.record, organization_id=self.request.user.organization_id,
            internal=False).exclude(pk=self.request.user.pk)

    def get_context_data(self, form=None, **kwargs):
        comments = selectors.comment_list(user=self.request.user, record=self.record)
        page = Paginator(comments, PAGE_SIZE).get_page(self.request.GET.get("page"))
        can_post = self.can(WRITE, self.partnership)
        if form is None and can_post:
            form = CommentForm(people=self.people())
        return super().get_context_data(
            record=self.record, kind=self.record._meta.verbose_name, page_obj=page,
            comments=page.object_list, form=form, can_post=can_post,
            thread_url=self.request.path, **kwargs)

    def post(self, request, *args, **kwargs):
        record = self.record  # 404 for a record the user may not see, before any rule
        require(request.user, WRITE, self.partnership)
        form = CommentForm(request.POST, request.FILES, people=self.people())
        if form.is_valid():
            try:
                services.comment_post(actor=request.user, record=record,
                                      body=form.cleaned_data["body"],
                                      mentions=form.cleaned_data["mentions"],
                                      is_internal=form.cleaned_data["is_internal"],
                                      file=form.cleaned_data["file"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                if request.htmx:
                    return self.render_to_response(self.get_context_data())
                return HttpResponseRedirect(f"{record.get_absolute_url()}#discussion")
        # htmx swaps only 2xx answers (base.html): the box comes back with its errors.
        return self.render_to_response(self.get_context_data(form=form),
                                       status=200 if request.htmx else 400)


class AttachmentDownloadView(PartnershipMixin, View):
    """Files of a discussion are never served from a folder: only this view hands them out,
    to those who see the comment and its record."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(selectors.attachment_list(
            user=request.user, partnership=self.partnership), pk=kwargs["pk"])
        return attachment.download_response(request)
