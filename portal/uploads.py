"""Uploads too large for the portal are refused from their Content-Length, before the body
is read: nobody can make a web worker read and spool gigabytes to learn they were too many."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from portal.files import max_upload_label

#: Room for the form fields and multipart boundaries sent along with a file of the largest size.
ALLOWANCE_BYTES = 1024 * 1024


class UploadLimitMiddleware:
    """413 when a request announces a body larger than MAX_UPLOAD_BYTES (and the room for its
    form fields), before any view, or CSRF's check, reads the body: the refusal reads nothing.
    The API gets JSON; a page the message; an htmx dialog the message in place of its form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot size, so nothing to guard
        if length > settings.MAX_UPLOAD_BYTES + ALLOWANCE_BYTES:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        message = (f"The upload is too large: files may be at most {max_upload_label()}. "
                   "Nothing was saved.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        if request.headers.get("HX-Request") == "true":
            response = render(request, "portal/upload_refused.html#dialog",
                              {"message": message}, status=413)
            response["HX-Retarget"] = "#dialog-body"
            response["HX-Reswap"] = "innerHTML"
            return response
        return render(request, "portal/upload_refused.html", {"message": message}, status=413)
