"""Styled error pages. They never show a traceback, whatever DEBUG says about the rest."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    # Rendered without a request context: the failure may have been in a context processor.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
