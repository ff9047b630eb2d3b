"""The roles that refer to CPD objects and criteria: ``{event}`ID```, ``{criterion}`FW:CODE```.

They work with and without the ``cpd:`` prefix, resolve through the ``cpd``
domain, and check criteria while reading, so that a typo is reported at its
line even when no page is rewritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.roles import XRefRole
from sphinx.util import logging

from sphinx_cpd.catalogues import criterion_problem, normalise_criterion
from sphinx_cpd.kinds import KINDS

if TYPE_CHECKING:
    from docutils.nodes import Element, Node
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Reference types of the roles, each naming the kinds it may point to.
REF_KINDS: dict[str, tuple[str, ...]] = {
    "event": ("event",),
    "reflection": ("reflection",),
    "evidence": ("evidence",),
    "action": ("action",),
    "photo": ("photo",),
    "rating": ("rating",),
    "feedback": ("feedback",),
    "object": KINDS,
}


class CPDXRefRole(XRefRole):
    """A role that always resolves through the ``cpd`` domain, prefixed or not.

    Registered as ``{event}`` as well as ``{cpd:event}``, so the prefix-free
    spelling users write in MyST resolves here instead of in the std domain.
    """

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[Node], list[nodes.system_message]]:
        self.name = "cpd:" + self.name.rpartition(":")[2]
        return super().run()


class CriterionRole(CPDXRefRole):
    """``{criterion}`FRAMEWORK:CODE``: checked while reading, so that every typo
    is reported at its line even when no page is rewritten."""

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        target = normalise_criterion(target)
        problem = criterion_problem(env, target)
        if problem:
            kind, message = problem
            logger.warning(message, type="cpd", subtype=kind, location=refnode)
        return title, target


#: Roles also registered without the ``cpd:`` prefix, as users write them.
GLOBAL_ROLES = ("event", "reflection", "evidence", "action", "criterion")


def setup_roles(app: Sphinx) -> None:
    for name in GLOBAL_ROLES:
        app.add_role(name, CriterionRole() if name == "criterion" else CPDXRefRole())
