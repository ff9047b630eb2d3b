"""CPDDomain: the records of every document, the portfolio-wide ids, and references.

Records are stored per document, so that clearing and merging (``-j``) are exact.
Everything derived from all documents together (portfolio order, final ids,
evidence numbers, back-links) is recomputed in the main process once reading is
over, and each document's *view* of other documents' records is fingerprinted, so
that an incremental build rewrites every page whose references or back-links
changed, and only those.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import catalogue
from sphinx_cpd.model import KINDS, Record, build_date
from sphinx_cpd.visibility import NOT_IN_EDITION

if TYPE_CHECKING:
    from docutils.nodes import Element, Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import RoleFunction

    from sphinx_cpd.scan import Scan

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
        target = target.strip()
        framework_id, _, code = target.partition(":")
        target = f"{framework_id.strip().lower()}:{code.strip()}"
        problem = criterion_problem(env, target)
        if problem:
            kind, message = problem
            logger.warning(message, type="cpd", subtype=kind, location=refnode)
        return title, target


def criterion_problem(env: BuildEnvironment, reference: str) -> tuple[str, str] | None:
    """Why ``FRAMEWORK:CODE`` names no criterion, as (warning kind, message); or None."""
    cat = catalogue(env.config)
    if ":" not in reference:
        return (
            "criterion",
            f"criterion {reference!r} must be written FRAMEWORK:CODE, e.g. cilip-chartership:1",
        )
    framework, criterion = cat.resolve(reference)
    framework_id = reference.partition(":")[0]
    if framework is None:
        known = ", ".join(sorted(cat.frameworks)) or "none"
        return (
            "framework",
            f"unknown framework {framework_id!r} in {reference!r}; frameworks in this "
            f"portfolio: {known} (add others with cpd_frameworks)",
        )
    for path in cat.files:
        env.note_dependency(path)
    if criterion is None:
        code = reference.partition(":")[2]
        codes = ", ".join(c.code for c in framework.criteria[:30])
        return ("criterion", f"{framework.id} has no criterion {code!r}; its codes are {codes}")
    return None


class CPDDomain(Domain):
    """Stores every CPD object by document and resolves references to them."""

    name = "cpd"
    label = "CPD portfolio"
    object_types = {kind: ObjType(kind, kind, "object") for kind in KINDS}
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        **{name: CPDXRefRole() for name in REF_KINDS},
        "criterion": CriterionRole(),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        # per document, from reading
        "records": {},  # docname -> list[Record], in document order
        "refs": {},  # docname -> sorted list of (reftype, target) it shows
        "listings": {},  # docname -> sorted kinds of the listings it holds
        # derived from all documents, in the main process
        "order": [],  # docnames in portfolio order
        "sections": {},  # docname -> the root's toctree entry it is under
        "ids": {},  # final id -> (docname, position)
        "final": {},  # (docname, position) -> final id
        "numbers": {},  # (docname, position) -> evidence number
        "backlinks": {},  # event id -> list of (docname, position)
        "duplicates": [],  # (docname, position) of explicit ids used before
        "withheld": {},  # docname -> how many objects this audience may not see
        "audience_state": None,  # what the last build withheld (see audience.py)
        "fingerprints": {},  # docname -> digest of what it showed before this build
        "structure": None,  # digest of the page order and titles before this build
        "built_on": None,  # the build date the listings were last written for
    }
    data_version = 4

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: This build's pages by visibility (see :mod:`sphinx_cpd.audience`): kept
        #: in memory only, because it names pages the audience may not see.
        self.scan: Scan | None = None

    # -- records -------------------------------------------------------------

    @property
    def records(self) -> dict[str, list[Record]]:
        return cast("dict[str, list[Record]]", self.data["records"])

    def add_record(self, record: Record) -> None:
        self.records.setdefault(record.docname, []).append(record)

    def next_position(self, docname: str) -> int:
        return len(self.records.get(docname, ()))

    def record_at(self, key: tuple[str, int]) -> Record | None:
        docs = self.records.get(key[0])
        if docs is None or key[1] >= len(docs):
            return None
        return docs[key[1]]

    def final_id(self, record: Record) -> str:
        return cast("str", self.data["final"].get(record.key, record.base_id))

    def number(self, record: Record) -> int | None:
        return cast("int | None", self.data["numbers"].get(record.key))

    def lookup(self, ident: str) -> Record | None:
        key = self.data["ids"].get(ident)
        return self.record_at(key) if key else None

    def note_withheld(self, docname: str, count: int) -> None:
        """Count objects of a page this audience may not see: the count is all
        that a shared build keeps of them."""
        if count:
            withheld = self.data["withheld"]
            withheld[docname] = withheld.get(docname, 0) + count

    def withheld_count(self) -> int:
        return sum(self.data["withheld"].values())

    def all_records(self) -> Iterator[Record]:
        """Every record (all of them visible to this build's audience), in portfolio order."""
        for docname in self.data["order"]:
            yield from self.records.get(docname, ())

    def display_title(self, record: Record) -> str:
        number = self.number(record)
        return f"E{number} {record.title}" if number else record.title

    # -- Domain API ------------------------------------------------------------

    def note_listing(self, docname: str, kind: str) -> None:
        kinds = self.data["listings"].setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)
            kinds.sort()

    def clear_doc(self, docname: str) -> None:
        self.records.pop(docname, None)
        for key in ("refs", "listings", "withheld"):
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["records"]:
                self.records[docname] = otherdata["records"][docname]
            for key in ("refs", "listings", "withheld"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        refs = {
            (node["reftype"], node["reftarget"])
            for node in document.findall(addnodes.pending_xref)
            if node.get("refdomain") == "cpd"
        }
        if refs:
            self.data["refs"][docname] = sorted(refs)
        else:
            self.data["refs"].pop(docname, None)

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for record in self.all_records():
            yield (
                self.final_id(record),
                self.display_title(record),
                record.kind,
                record.docname,
                record.anchor,
                1,
            )

    def resolve_xref(  # type: ignore[override]
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.reference | nodes.Element | None:
        # Sphinx puts whatever node is returned in the reference's place; a
        # plain inline for an unknown target keeps the text without a link.
        if typ == "criterion":
            return self._resolve_criterion(env, target, node, contnode)
        kinds = REF_KINDS.get(typ, KINDS)
        record = self.lookup(target.strip())
        if record is None and cpd_config.read(env.config).audience != "private":
            # Perhaps withheld, perhaps a typo: a shared build cannot tell and must
            # not say. Private builds and ``sphinx-cpd check`` report typos.
            text = contnode.astext() if node.get("refexplicit") else NOT_IN_EDITION
            return nodes.inline(text, text, classes=["cpd-withheld"])
        if record is None or record.kind not in kinds:
            if record is None:
                message = (
                    f"no {typ if typ != 'object' else 'object'} with id {target!r}; "
                    "check the id, or give the object that id with :id:"
                )
            else:
                message = (
                    f"{target!r} is a {record.kind}, not a {typ}; "
                    f"refer to it with {{{record.kind}}}`{target}`"
                )
            logger.warning(message, type="cpd", subtype="ref", location=node)
            return nodes.inline(target, contnode.astext(), classes=["cpd-missing"])
        return self._refnode(builder, fromdocname, record, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        record = self.lookup(target.strip())
        if record is None:
            return []
        return [(f"cpd:{record.kind}", self._refnode(builder, fromdocname, record, node, contnode))]

    def _refnode(
        self,
        builder: Builder,
        fromdocname: str,
        record: Record,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.reference:
        if not node.get("refexplicit"):
            contnode = contnode.deepcopy()
            contnode.children = []
            contnode += nodes.Text(self.display_title(record))
        return make_refnode(
            builder, fromdocname, record.docname, record.anchor, contnode, record.title
        )

    def _resolve_criterion(
        self,
        env: BuildEnvironment,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.Element:
        framework, criterion = catalogue(env.config).resolve(target)
        if framework is None or criterion is None:
            # Reported once, where it was read.
            return nodes.inline(target, contnode.astext(), classes=["cpd-missing"])
        text = contnode.astext()
        if not node.get("refexplicit"):
            text = criterion_label(framework.short, criterion.code, criterion.title)
        return nodes.inline(
            target, text, classes=["cpd-criterion", f"cpd-framework-{framework.id}"]
        )

    # -- what is derived from the whole portfolio ----------------------------

    def finalise(self, env: BuildEnvironment) -> None:
        """Portfolio order, final ids, evidence numbers and back-links.

        Runs in the main process after every document has been read (and merged),
        so the outcome does not depend on the order or the number of processes.
        """
        order = portfolio_order(env)
        self.data["order"] = order
        records = [r for docname in order for r in self.records.get(docname, ())]

        ids: dict[str, tuple[str, int]] = {}
        final: dict[tuple[str, int], str] = {}
        duplicates: list[tuple[str, int]] = []
        for record in records:
            if record.explicit:
                if record.base_id in ids:
                    duplicates.append(record.key)
                else:
                    ids[record.base_id] = record.key
                    final[record.key] = record.base_id
        for record in records:
            if record.key in final:
                continue
            candidate, suffix = record.base_id, 2
            while candidate in ids:
                candidate = f"{record.base_id}-{suffix}"
                suffix += 1
            ids[candidate] = record.key
            final[record.key] = candidate

        numbers: dict[tuple[str, int], int] = {}
        for record in records:
            if record.kind == "evidence":
                numbers[record.key] = len(numbers) + 1

        backlinks: dict[str, list[tuple[str, int]]] = {}
        for record in records:
            events: tuple[str, ...] = record.events
            if record.kind == "action" and record.parent is not None:
                parent = self.record_at((record.docname, record.parent))
                events = parent.events if parent else ()
            for event in dict.fromkeys(events):
                backlinks.setdefault(event, []).append(record.key)

        self.data.update(
            ids=ids,
            final=final,
            numbers=numbers,
            backlinks=backlinks,
            duplicates=duplicates,
            sections=top_level_sections(env),
        )

    def report_duplicates(self) -> None:
        for key in self.data["duplicates"]:
            record = self.record_at(key)
            if record is None:
                continue
            first = self.lookup(record.base_id)
            where = f" (first used in {first.docname}, line {first.lineno})" if first else ""
            logger.warning(
                f"the id {record.base_id!r} is already used{where}; ids must be unique in "
                f"the portfolio, so this {record.kind} is known as {self.final_id(record)!r} "
                "for now: give it another :id:",
                type="cpd",
                subtype="duplicate",
                location=(record.docname, record.lineno),
            )

    # -- incremental builds ------------------------------------------------

    def fingerprint(self, docname: str, everything: str = "") -> str:
        """A digest of everything from outside ``docname`` that its page shows.

        ``everything`` is the digest of all records, which a page holding a
        listing shows (see :meth:`digest`).
        """
        parts: list[Any] = []
        if docname in self.data["listings"]:
            parts.append(("listings", everything))
        for reftype, target in self.data["refs"].get(docname, ()):
            record = self.lookup(target.strip())
            parts.append((reftype, target, self._signature(record)))
        for record in self.records.get(docname, ()):
            parts.append(("own", self.final_id(record), self.number(record)))
            if record.kind == "event":
                for key in self.data["backlinks"].get(self.final_id(record), ()):
                    parts.append(("back", self._signature(self.record_at(key))))
        return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()

    def digest(self, today: str) -> str:
        """A digest of every record as listings show it, and of the build date,
        which decides what is overdue."""
        parts = [today, *(self._signature(record) for record in self.all_records())]
        return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()

    def _signature(self, record: Record | None) -> Any:
        if record is None:
            return None
        return (self.final_id(record), self.number(record), repr(record))

    def structure(self, env: BuildEnvironment) -> str:
        """A digest of the portfolio's shape: its pages in order, with their titles.

        Every page's navigation shows it, so when it changes every page is stale.
        """
        shape = [
            (docname, env.titles[docname].astext() if docname in env.titles else "")
            for docname in portfolio_order(env)
        ]
        return hashlib.sha1(repr(shape).encode(), usedforsecurity=False).hexdigest()

    def snapshot(self, env: BuildEnvironment) -> None:
        # The date the listings were last built for: what was overdue then.
        everything = self.digest(self.data.get("built_on") or build_date().isoformat())
        # Documents about to be removed (or withheld) are left out: their names
        # may not be kept.
        self.data["fingerprints"] = {
            docname: self.fingerprint(docname, everything)
            for docname in env.all_docs
            if docname in env.found_docs
        }
        self.data["structure"] = self.structure(env) if env.all_docs else None

    def changed_views(self, env: BuildEnvironment) -> list[str]:
        before: dict[str, str] = self.data["fingerprints"]
        self.data["built_on"] = build_date().isoformat()
        if self.data.get("structure") not in (None, self.structure(env)):
            return sorted(env.found_docs & set(env.all_docs))
        everything = self.digest(self.data["built_on"])
        return sorted(
            docname
            for docname in env.all_docs
            if docname in before and before[docname] != self.fingerprint(docname, everything)
        )


def criterion_label(short: str, code: str, title: str) -> str:
    return f"{short} {code}: {title}" if title != code else f"{short} {code}"


def top_level_sections(env: BuildEnvironment) -> dict[str, str]:
    """For each document, the entry of the root's toctree it falls under.

    Worked out once per build, so that every page's navigation is a lookup,
    not a walk of the whole toctree (which made navigation grow with the square
    of the number of pages).
    """
    root = env.config.root_doc
    sections: dict[str, str] = {}
    for top in env.toctree_includes.get(root, []):
        stack = [top]
        while stack:
            docname = stack.pop()
            if docname in sections or docname == root:
                continue
            sections[docname] = top
            stack.extend(env.toctree_includes.get(docname, []))
    return sections


def portfolio_order(env: BuildEnvironment) -> list[str]:
    """Documents in toctree order from the root, then the rest by name."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.all_docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    order.extend(sorted(set(env.all_docs) - seen))
    return order


#: Roles also registered without the ``cpd:`` prefix, as users write them.
GLOBAL_ROLES = ("event", "reflection", "evidence", "action", "criterion")


def setup_roles(app: Sphinx) -> None:
    for name in GLOBAL_ROLES:
        app.add_role(name, CriterionRole() if name == "criterion" else CPDXRefRole())


def get_domain(env: BuildEnvironment) -> CPDDomain:
    return cast("CPDDomain", env.domains["cpd"])


def heading_levels(document: nodes.document) -> None:
    """Give each object's title the heading level its place in the page calls for."""
    for rubric in document.findall(nodes.rubric):
        if not {"cpd-title", "cpd-stage-title"} & set(rubric["classes"]):
            continue
        depth = 0
        parent: Node | None = rubric.parent
        while parent is not None:
            if isinstance(parent, nodes.section) or (
                isinstance(parent, nodes.container)
                and {"cpd-object", "cpd-stage"} & set(parent["classes"])
            ):
                depth += 1
            parent = parent.parent
        # Sections and enclosing objects each count once, the object's own
        # container included, so a title sits one level below what holds it.
        rubric["heading-level"] = max(2, min(depth, 6))
