"""The licences a photo may carry: the Creative Commons family by SPDX id.

Covers every Creative Commons licence element combination of versions 1.0 to 4.0,
the 2.0, 2.1, 2.5 and 3.0 jurisdiction ports (``CC-BY-SA-2.0-UK``), the CC0 and
Public Domain Mark tools, and ``all-rights-reserved`` for a photo used with the
rights holder's permission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sphinx_cpd.i18n import N_

#: Licence elements by version, as SPDX writes them. Version 1.0 had licences
#: without BY; SPDX lists only the BY ones, and so do we.
_ELEMENTS = ("BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA", "BY-NC-ND")
_VERSIONS = ("1.0", "2.0", "2.1", "2.5", "3.0", "4.0")
_PORTED_VERSIONS = ("2.0", "2.1", "2.5", "3.0")

#: Jurisdictions Creative Commons ported its 2.x and 3.0 licences to, by the code
#: used in SPDX ids (upper case) and in deed URLs (lower case).
JURISDICTIONS = frozenset(
    [
        "AR",
        "AT",
        "AU",
        "BE",
        "BG",
        "BR",
        "CA",
        "CH",
        "CL",
        "CN",
        "CO",
        "CR",
        "CZ",
        "DE",
        "DK",
        "EC",
        "EE",
        "EG",
        "ES",
        "FI",
        "FR",
        "GE",
        "GR",
        "GT",
        "HK",
        "HR",
        "HU",
        "IE",
        "IGO",
        "IL",
        "IN",
        "IT",
        "JP",
        "KR",
        "LU",
        "MK",
        "MT",
        "MX",
        "MY",
        "NL",
        "NO",
        "NZ",
        "PE",
        "PH",
        "PL",
        "PR",
        "PT",
        "RO",
        "RS",
        "SCOTLAND",
        "SE",
        "SG",
        "SI",
        "SK",
        "TH",
        "TW",
        "UG",
        "UK",
        "US",
        "VE",
        "VN",
        "ZA",
    ]
)

_CC_ID = re.compile(
    r"^CC-(?P<elements>BY(?:-NC)?(?:-SA|-ND)?)-(?P<version>\d\.\d)(?:-(?P<juris>[A-Z]+))?$"
)


@dataclass(frozen=True, slots=True)
class Licence:
    """A licence as a credit line shows it and as the checks need it."""

    spdx: str
    name: str
    url: str | None
    attribution: bool
    non_commercial: bool = False
    no_derivatives: bool = False
    share_alike: bool = False
    needs_permission: bool = False


_CC0 = Licence("CC0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/", False)
# The names of these two are translated where a credit line shows them; the
# Creative Commons licences are named by their codes, the same in every language.
_PDM = Licence(
    "CC-PDM-1.0",
    # Translators: the Creative Commons tool that marks a work free of copyright.
    N_("Public Domain Mark 1.0"),
    "https://creativecommons.org/publicdomain/mark/1.0/",
    False,
)
_ARR = Licence(
    "all-rights-reserved",
    # Translators: a photo's licence, shown in its credit line.
    N_("All rights reserved"),
    None,
    True,
    needs_permission=True,
)


def _normalise(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip()).upper()


def lookup(text: str) -> Licence | None:
    """The licence named by an SPDX id (any case; ``CC BY 2.0`` also works), or None."""
    ident = _normalise(text)
    if ident in {"CC0-1.0", "CC0"}:
        return _CC0
    if ident in {"CC-PDM-1.0", "PDM", "PDM-1.0"}:
        return _PDM
    if ident == "ALL-RIGHTS-RESERVED":
        return _ARR
    match = _CC_ID.match(ident)
    if not match:
        return None
    elements, version, juris = match.group("elements", "version", "juris")
    if elements not in _ELEMENTS or version not in _VERSIONS:
        return None
    if juris and (version not in _PORTED_VERSIONS or juris not in JURISDICTIONS):
        return None
    if version == "2.1" and not juris:
        # 2.1 exists only as jurisdiction ports (Japan, Spain, Australia).
        return None
    path = elements.lower()
    if version == "1.0" and elements == "BY-NC-ND":
        path = "by-nd-nc"  # the 1.0 deed used this order of elements
    url = f"https://creativecommons.org/licenses/{path}/{version}/"
    if juris:
        url += f"{juris.lower()}/"
    spdx = f"CC-{elements}-{version}" + (f"-{juris}" if juris else "")
    name = f"CC {elements} {version}" + (f" {juris}" if juris else "")
    return Licence(
        spdx,
        name,
        url,
        attribution=True,
        non_commercial="NC" in elements,
        no_derivatives="ND" in elements,
        share_alike="SA" in elements,
    )


def examples() -> list[str]:
    """A few valid ids, for error messages and documentation."""
    return ["CC-BY-4.0", "CC-BY-SA-2.0-UK", "CC-BY-NC-ND-3.0", "CC0-1.0", "all-rights-reserved"]
