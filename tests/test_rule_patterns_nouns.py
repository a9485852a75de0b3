"""The relational-noun configurations of the rule layer (ingest/extraction/roles.py) and the rules that need no
trigger word (affiliations, subsidiaries named after their parent), one invented sentence each; the role values of
docs/annotation.md's table; and the configurations' limits (past roles, short forms of one name, model codes)."""

from __future__ import annotations

import pytest

from ingest.extractor import extract
from kg.model import Article


@pytest.fixture(autouse=True, scope="module")
def _rules_only():
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):
        yield


def facts(lang: str, text: str):
    extraction = extract(Article(id=f"noun-{lang}", text=text, lang=lang, published="2024-05-15"))
    return {(f.subject.name, f.predicate, f.object.name): f for f in extraction.facts}


@pytest.mark.parametrize(
    ("lang", "configuration", "text", "expected", "role"),
    [
        (
            "en",
            "role-of-org-name",
            "The chief executive of Telefonica, Tom Baker, said little.",
            ("Tom Baker", "WORKS_FOR", "Telefonica"),
            "ceo",
        ),
        (
            "en",
            "role-name-of-org",
            '"It is over," said retail analyst Tom Baker of Morgan Stanley.',
            ("Tom Baker", "WORKS_FOR", "Morgan Stanley"),
            "analyst",
        ),
        (
            "en",
            "name-comma-role-of-org",
            '"It is over," said Tom Baker, an analyst at Morgan Stanley.',
            ("Tom Baker", "WORKS_FOR", "Morgan Stanley"),
            "analyst",
        ),
        (
            "en",
            "name-is-role-of-org",
            "Tom Baker is the chairman of Telefonica.",
            ("Tom Baker", "WORKS_FOR", "Telefonica"),
            "chairman",
        ),
        (
            "fr",
            "appointed-role-of-org",
            "Marie Dupont, ancienne journaliste, devient directrice de la rédaction de Mediapart.",
            ("Marie Dupont", "JOINED", "Mediapart"),
            "editor in chief",
        ),
        (
            "en",
            "org-role-name",
            "Telefonica chairman Tom Baker said little.",
            ("Tom Baker", "WORKS_FOR", "Telefonica"),
            "chairman",
        ),
        (
            "en",
            "name-comma-org-role",
            "Tom Baker, Telefonica's chairman, said little.",
            ("Tom Baker", "WORKS_FOR", "Telefonica"),
            "chairman",
        ),
        (
            "en",
            "org-unit-noun",
            "Analysts praised Telefonica's Vantage unit on Monday.",
            ("Vantage", "SUBSIDIARY_OF", "Telefonica"),
            None,
        ),
        (
            "en",
            "org-has-unit-named",
            "Telefonica has a research arm - Vantage Labs.",
            ("Vantage Labs", "SUBSIDIARY_OF", "Telefonica"),
            None,
        ),
        (
            "fr",
            "name-resigner",
            "Deezer traverse une crise. Marie Dupont, l'une des démissionnaires, a parlé.",
            ("Marie Dupont", "LEFT", "Deezer"),
            None,
        ),
        (
            "en",
            "name-of-org",
            '"It is over," said Tom Baker at Morgan Stanley.',
            ("Tom Baker", "WORKS_FOR", "Morgan Stanley"),
            None,
        ),
        (
            "fr",
            "name-of-org",
            "« C'est fini », a déclaré Paul Martin, de la Fédération française de tennis.",
            ("Paul Martin", "WORKS_FOR", "Fédération française de tennis"),
            None,
        ),
        (
            "fr",
            "name-paren-org",
            "Sundar Pichai (Alphabet) et Tim Cook (Apple) sont auditionnés.",
            ("Tim Cook", "WORKS_FOR", "Apple"),
            None,
        ),
        (
            "en",
            "founder",
            "Jan Koum, the founder of WhatsApp, left in 2018.",
            ("Jan Koum", "FOUNDED", "WhatsApp"),
            None,
        ),
        (
            "fr",
            "owner",
            "Vivendi, propriétaire de Havas, a annoncé ses résultats.",
            ("Vivendi", "OWNS", "Havas"),
            None,
        ),
        (
            "fr",
            "parent-list",
            "Les salariés de Vivendi, maison-mère de Havas et Havas, ont protesté.",
            ("Havas", "SUBSIDIARY_OF", "Vivendi"),
            None,
        ),
        (
            "en",
            "org-role-name (owner named after the title)",
            "Deezer's owner Vivendi said profits fell.",
            ("Vivendi", "OWNS", "Deezer"),
            None,
        ),
        (
            "en",
            "org-role-name (parent company named after the title)",
            "Deezer's parent company Vivendi said profits fell.",
            ("Deezer", "SUBSIDIARY_OF", "Vivendi"),
            None,
        ),
        (
            "en",
            "name-comma-org-role (a determiner before the organisation)",
            "Instagram, a Facebook subsidiary, said sales rose.",
            ("Instagram", "SUBSIDIARY_OF", "Facebook"),
            None,
        ),
        (
            "en",
            "org-role-name (function words inside the title)",
            "Nvidia product marketing manager Jane Roe said the chip is fast.",
            ("Jane Roe", "WORKS_FOR", "Nvidia"),
            "manager",
        ),
        (
            "en",
            "role-of-org (past a place's possessive)",
            "Tom Baker, director general of the UK's Confederation of British Industry, spoke.",
            ("Tom Baker", "WORKS_FOR", "Confederation of British Industry"),
            "director general",
        ),
        (
            "en",
            "name-prefix",
            "Telefonica said on Monday that Telefonica Japan had lost customers.",
            ("Telefonica Japan", "SUBSIDIARY_OF", "Telefonica"),
            None,
        ),
    ],
)
def test_each_configuration_gives_its_fact(lang, configuration, text, expected, role):
    found = facts(lang, text)
    assert expected in found, f"{configuration}: {text!r} gave {sorted(found)}"
    if role is not None:
        assert found[expected].qualifiers.role == role


@pytest.mark.parametrize(
    ("lang", "text", "absent"),
    [
        ("en", "Former Telefonica chairman Tom Baker said little.", ("Tom Baker", "WORKS_FOR", "Telefonica")),
        (
            "en",
            "Nortel Networks said on Monday that Nortel had lost customers.",
            ("Nortel Networks", "SUBSIDIARY_OF", "Nortel"),
        ),
        ("en", "Tom Baker at the Morgan Stanley conference said so.", ("Tom Baker", "WORKS_FOR", "Morgan Stanley")),
        ("en", "Telefonica unveiled the Telefonica X5 on Monday.", ("Telefonica X5", "SUBSIDIARY_OF", "Telefonica")),
        ("fr", "Marie Dupont (Deezer, 45 ans) quitte la chaîne.", ("Marie Dupont", "WORKS_FOR", "Deezer")),
        ("fr", "Le texte a été critiqué par Marie Dupont (LFI).", ("Marie Dupont", "WORKS_FOR", "LFI")),
        # a place that qualifies the employer is not the employer
        (
            "en",
            "Tom Baker, chief executive of the Frankfurt-based exchange, spoke.",
            ("Tom Baker", "WORKS_FOR", "Frankfurt"),
        ),
        (
            "fr",
            "Paul Martin, chercheur de l'université de Cardiff, a commenté.",
            ("Paul Martin", "WORKS_FOR", "Cardiff"),
        ),
        (
            "fr",
            "Les invités : Marie Martin, directrice de la communication d'Orange, Paul Durand, PDG de Deezer.",
            ("Paul Durand", "WORKS_FOR", "Orange"),
        ),
    ],
)
def test_what_the_configurations_do_not_read_as_a_fact(lang, text, absent):
    assert absent not in facts(lang, text)


@pytest.mark.parametrize(
    ("lang", "text", "expected", "role"),
    [
        ("en", "Telefonica boss Tom Baker said little.", ("Tom Baker", "WORKS_FOR", "Telefonica"), "ceo"),
        (
            "en",
            "Microsoft CVP Tom Baker said little.",
            ("Tom Baker", "WORKS_FOR", "Microsoft"),
            "corporate vice president",
        ),
        (
            "en",
            "Microsoft senior program manager Tom Baker said little.",
            ("Tom Baker", "WORKS_FOR", "Microsoft"),
            "senior program manager",
        ),
        ("fr", "Le patron d'Orange, Jean Martin, a parlé.", ("Jean Martin", "WORKS_FOR", "Orange"), "ceo"),
        (
            "fr",
            "Jean Martin, président de la Fédération française de tennis, a parlé.",
            ("Jean Martin", "WORKS_FOR", "Fédération française de tennis"),
            "president",
        ),
        ("fr", "Jean Martin, président d'Orange, a parlé.", ("Jean Martin", "WORKS_FOR", "Orange"), "chairman"),
        ("fr", "Le dirigeant d'Orange, Jean Martin, a parlé.", ("Jean Martin", "WORKS_FOR", "Orange"), "ceo"),
        (
            "en",
            '"It is over," said Tom Baker, a spokesman for Telefonica.',
            ("Tom Baker", "WORKS_FOR", "Telefonica"),
            "spokesman",
        ),
    ],
)
def test_role_values_follow_the_annotation_table(lang, text, expected, role):
    found = facts(lang, text)
    assert found[expected].qualifiers.role == role
