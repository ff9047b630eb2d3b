"""CPDDomain: the records of every document, the portfolio-wide ids, and references.

Records are stored per document, so that clearing and merging (``-j``) are exact.
Everything derived from all documents together (portfolio order, final ids,
evidence numbers, back-links) is recomputed in the main process once reading is
over, and each document's *view* of other documents' records is fingerprinted, so
that an incremental build rewrites every page whose references or back-links
changed, and only those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinx_cpd import config as cpd_config
from sphinx_cpd.catalogues import catalogue, criterion_label
from sphinx_cpd.i18n import _
from sphinx_cpd.kinds import KINDS, EvidenceData, Record
from sphinx_cpd.model import SEARCH_NAMES
from sphinx_cpd.numbering import number_evidence
from sphinx_cpd.roles import REF_KINDS, CPDXRefRole, CriterionRole
from sphinx_cpd.visibility import NOT_IN_EDITION

if TYPE_CHECKING:
    from docutils.nodes import Element
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.roles import XRefRole
    from sphinx.util.typing import RoleFunction

    from sphinx_cpd.scan import Scan

logger = logging.getLogger(__name__)


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
        "tocs": {},  # root docname -> [(caption, [(title, ref)])] of its toctrees
        # derived from all documents, in the main process
        "order": [],  # docnames in portfolio order
        "ids": {},  # final id -> (docname, position)
        "final": {},  # (docname, position) -> final id
        "numbers": {},  # (docname, position) -> evidence number
        "backlinks": {},  # event id -> list of (docname, position)
        "duplicates": [],  # (docname, position) of explicit ids used before
        "clashes": [],  # (docname, position) of evidence claiming a number already taken
        "withheld": {},  # docname -> how many objects this audience may not see
        "audience_state": None,  # what the last build withheld (see audience.py)
        "fingerprints": {},  # docname -> digest of what it showed before this build
        "structure": None,  # digest of the page order and titles before this build
        "built_on": None,  # the build date the listings were last written for
        "scheme_signature": None,  # a digest of the scheme the listings were written for
    }
    data_version = 6

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: This build's pages by visibility (see :mod:`sphinx_cpd.audience`): kept
        #: in memory only, because it names pages the audience may not see.
        self.scan: Scan | None = None
        #: The pages this build reads again (or removes): kept in memory only.
        self.reread: set[str] = set()

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

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        """A kind as search results name it: "CPD portfolio event", translated."""
        return type.lname if primary else _(SEARCH_NAMES.get(type.lname, type.lname))

    def note_listing(self, docname: str, kind: str) -> None:
        kinds = self.data["listings"].setdefault(docname, [])
        if kind not in kinds:
            kinds.append(kind)
            kinds.sort()

    def clear_doc(self, docname: str) -> None:
        self.records.pop(docname, None)
        for key in ("refs", "listings", "withheld", "tocs"):
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["records"]:
                self.records[docname] = otherdata["records"][docname]
            for key in ("refs", "listings", "withheld", "tocs"):
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
        # The root's toctrees group the navigation. They are kept here rather
        # than read back from the doctree later: loading a doctree before the
        # build reads caches the old one, which single-file builders then use.
        if docname == env.config.root_doc:
            self.data["tocs"][docname] = [
                (toctree.get("caption") or None, list(toctree["entries"]))
                for toctree in document.findall(addnodes.toctree)
            ]

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
            text = contnode.astext() if node.get("refexplicit") else _(NOT_IN_EDITION)
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

        numbers, clashes = number_evidence([r for r in records if r.kind == "evidence"])

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
            clashes=clashes,
        )

    def report_clashes(self) -> None:
        """A warning at each piece of evidence that claimed a number already taken."""
        clashes = self.data.get("clashes", [])
        holders = {
            self.number(r): r
            for r in self.all_records()
            if r.kind == "evidence" and r.key not in clashes
        }
        for key in clashes:
            record = self.record_at(key)
            if record is None:
                continue
            wanted = record.of(EvidenceData).number
            holder = holders.get(wanted)
            by = f" by {holder.title!r} ({holder.docname}, line {holder.lineno})" if holder else ""
            logger.warning(
                f"evidence {record.title!r}: :number: {wanted} is claimed already{by}; it is "
                f"E{self.number(record)} for now: give one of them another :number:",
                type="cpd",
                subtype="number",
                location=(record.docname, record.lineno),
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


def get_domain(env: BuildEnvironment) -> CPDDomain:
    return cast("CPDDomain", env.domains["cpd"])


def finalise(app: Sphinx, env: BuildEnvironment) -> list[str]:
    get_domain(env).finalise(env)
    return []


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    get_domain(env).report_duplicates()
    get_domain(env).report_clashes()


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CPDDomain)
    app.connect("env-updated", finalise)
    app.connect("env-check-consistency", check_consistency)
