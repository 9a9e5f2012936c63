import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the Finnish dictionary (about 2 s) while the server starts, not on a visitor's first search.
from directory.search import analyse  # noqa: E402

analyse("kuopio")

# Everything loaded so far (Django, the URL patterns, the dictionary) lives as long as the
# process: keep it out of the garbage collector's full passes, which otherwise walk it all and
# stalled a request for ~0.25 s now and then.
import gc  # noqa: E402

gc.freeze()
