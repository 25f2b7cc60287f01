"""Pages of a record's discussion: the thread (read by every seat that sees the record,
written by those who work on it), its Files tab (every file posted on the record), the
withdrawal of a comment by its author, and the scoped download of a file posted in it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from partnership.discussion import selectors, services
from partnership.discussion.forms import CommentForm, WithdrawForm
from partnership.permissions import require
from partnership.scoping_views import WRITE, PartnershipMixin
from partnership.templatetags.discussion import discussion_url
from portal.live import LiveFragmentMixin, live_etag
from portal.views import HtmxPartialMixin

PAGE_SIZE = 20


def thread_etag(user, kwargs) -> str:
    """The version of a thread as `user` sees it (portal.live); 404 for a record they do
    not see."""
    version = selectors.thread_version(user=user, partnership=kwargs["partnership_pk"],
                                       record_type=kwargs["record_type"], pk=kwargs["pk"])
    if version is None:
        raise Http404
    return live_etag(f"discussion.{kwargs['record_type']}", kwargs["pk"], version, user)


def _add_errors(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class ThreadMixin(HtmxPartialMixin, PartnershipMixin):
    """A record's thread: its comments, newest first, twenty a page, and the box to post
    one (htmx: the thread only, which the record's page loads into its section).

    The comments (not the box: what someone is typing is never replaced) are a live part
    (portal.live): a comment the viewer may see, posted by anyone, appears while the page
    stays open."""

    live_refreshed = False

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

    def get_context_data(self, **kwargs):
        thread_url = discussion_url(self.record)
        return super().get_context_data(
            record=self.record, kind=self.record._meta.verbose_name, thread_url=thread_url,
            files_url=f"{thread_url}files/", **self.tab_context(**kwargs))

    def tab_context(self, form=None, **kwargs) -> dict:
        comments = selectors.comment_list(user=self.request.user, record=self.record)
        page = Paginator(comments, PAGE_SIZE).get_page(self.request.GET.get("page"))
        can_post = self.can(WRITE, self.partnership)
        if form is None and can_post:
            form = CommentForm(people=self.people())
        thread = {key: self.kwargs[key] for key in ("partnership_pk", "record_type", "pk")}
        live_url = reverse("partnership:record_discussion_live", kwargs=thread)
        if page.number > 1:
            live_url += f"?page={page.number}"
        live = {"id": "discussion-comments", "url": live_url,
                "etag": thread_etag(self.request.user, thread),
                "seconds": settings.LIVE_POLL_SECONDS, "refreshed": self.live_refreshed,
                "note": "a comment was posted while the page was open."}
        return {"page_obj": page, "comments": page.object_list, "form": form,
                "can_post": can_post, "tab": "comments", "live": live, **kwargs}

    def thread_answer(self):
        """After a write: the thread again (htmx), or the record's page."""
        if self.request.htmx:
            return self.render_to_response(self.get_context_data())
        return HttpResponseRedirect(f"{self.record.get_absolute_url()}#discussion")


class DiscussionView(ThreadMixin, TemplateView):
    """A post from the record's page answers with the thread again, without a reload."""

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
                                      files=form.cleaned_data["files"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.thread_answer()
        # htmx swaps only 2xx answers (base.html): the box comes back with its errors.
        return self.render_to_response(self.get_context_data(form=form),
                                       status=200 if request.htmx else 400)


class DiscussionLiveView(LiveFragmentMixin, DiscussionView):
    """The thread's comments, polled while the record's page is open (portal.live): 304
    while the viewer would see the same comments, after one query."""

    partial_name = "comments"
    http_method_names = ["get", "head", "options"]

    def live_etag(self, request, kwargs) -> str:
        return thread_etag(request.user, kwargs)

    def get_template_names(self):
        return [f"{self.template_name}#{self.partial_name}"]


class DiscussionFilesView(ThreadMixin, TemplateView):
    """The Files tab: every file posted on the record's thread (of comments still standing,
    and that the user sees: another party's internal comments' files are not), newest
    first, twenty a page."""

    template_name = "partnership/discussion_files.html"
    partial_name = "files"

    def tab_context(self, **kwargs) -> dict:
        files = selectors.attachment_list(user=self.request.user, record=self.record)
        page = Paginator(files.not_withdrawn(), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {"page_obj": page, "files": page.object_list, "tab": "files", **kwargs}


class CommentWithdrawView(ThreadMixin, TemplateView):
    """The author withdraws a comment, with a reason (after a confirmation): it stays in the
    thread as withdrawn. A comment the user does not see is 404; someone else's, 403."""

    @cached_property
    def comment(self):
        return get_object_or_404(selectors.comment_list(user=self.request.user,
                                                        record=self.record),
                                 pk=self.kwargs["comment_pk"])

    def get(self, request, *args, **kwargs):
        """Without JavaScript (or from a link): the comment, the reason to give and the
        button, on a page of its own; only its author sees it."""
        comment = self.comment  # 404 for what the user does not see, before any rule
        require(request.user, WRITE, self.partnership)
        services.require_author(request.user, comment)
        return self.withdraw_page(WithdrawForm())

    def post(self, request, *args, **kwargs):
        comment = self.comment  # 404 for what the user does not see, before any rule
        require(request.user, WRITE, self.partnership)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.comment_withdraw(actor=request.user, comment=comment,
                                          reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.thread_answer()
        if request.htmx:  # the thread again, the comment's withdrawal open with its errors
            return self.render_to_response(
                self.get_context_data(withdraw_form=form, withdraw_pk=comment.pk))
        return self.withdraw_page(form, status=400)

    def withdraw_page(self, form, status=200):
        return TemplateResponse(self.request, "partnership/comment_withdraw.html", {
            "partnership": self.partnership, "role": self.role, "record": self.record,
            "comment": self.comment, "withdraw_form": form, "thread_url":
            discussion_url(self.record), "kind": self.record._meta.verbose_name},
            status=status)


class AttachmentDownloadView(PartnershipMixin, View):
    """Files of a discussion are never served from a folder: only this view hands them out,
    to those who see the comment and its record, while the comment stands."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(selectors.attachment_list(
            user=request.user, partnership=self.partnership).not_withdrawn(), pk=kwargs["pk"])
        return attachment.download_response(request)
