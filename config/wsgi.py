import os

from django.core.wsgi import get_wsgi_application

from config.environment import ConfigurationError, production_problem

# Production without its shared secrets must not serve: each host would invent its own keys.
if problem := production_problem("Web 服务器"):
    raise ConfigurationError(problem)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
