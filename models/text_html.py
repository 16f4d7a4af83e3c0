"""Text shown as HTML, built the one safe way.

What people type (a visitor's name, an e-mail's display name, a
technician's note, a prospect's street) goes into Html fields and the
chatter as text: escaped by ``Markup``'s ``%`` and ``join``, never passed to
``Markup()`` itself, and never turned into links (``plaintext2html`` makes
every URL clickable, a visitor's included).
"""

from markupsafe import Markup


def text_html(text):
    """``text`` as one HTML paragraph: escaped, its line breaks kept."""
    return Markup("<p>%s</p>") % Markup("<br/>").join((text or "").splitlines())
