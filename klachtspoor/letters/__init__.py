"""A case's letters, shared by the service that sends them and the case file that shows them, so the same
events give the same letter: :mod:`.state` folds what letters need from a case's events, :mod:`.facts`
turns that and the pinned policy into a letter's template and facts, :mod:`.render` renders it from the
Jinja2 templates in ``templates/``, and :mod:`.sent` gives the text of a letter that was sent."""
