"""``sphinx-cpd import``: posts of a blog or entries of an e-portfolio as pages.

Each entry becomes a MyST page under ``DIR/imported/`` (evidence files are
copied under ``DIR/evidence/``). Nothing is ever overwritten: a page whose
name is taken gets another, and a second import of the same source skips
what the first made, by the source's own id that each page keeps in its
front matter (``imported-from``), wherever the page has been moved to since.

The modules: :mod:`.model` (an entry, safe XML), :mod:`.blogs` and
:mod:`.leap2a` (reading the exports), :mod:`.html` and :mod:`.check` (a post's
HTML as MyST that says only what it said), :mod:`.pages` (writing them). This
file imports none of them: the command line names the formats without loading
an HTML parser each time it starts.
"""
