"""A small corpus of our own making for the fault tests: short English and French articles that yield facts.

Articles are built from templates over entities the knowledge base knows, so every article gives facts, and
neighbouring articles share some facts (the same fact from two articles is one fact with two pieces of evidence),
which exercises evidence merging under kills and concurrent writes. Deterministic: the same call writes the same
files."""

from __future__ import annotations

import json
from pathlib import Path

COMPANIES = ["Microsoft", "Google", "Nvidia", "Intel", "IBM", "Oracle", "Cisco", "Adobe", "Salesforce", "Capgemini",
             "Atos", "Ubisoft", "Orange", "Deezer", "OVHcloud", "Criteo"]
PEOPLE_COMPANY = [("Satya Nadella", "Microsoft"), ("Sundar Pichai", "Google"), ("Jensen Huang", "Nvidia"),
                  ("Lisa Su", "AMD"), ("Pat Gelsinger", "Intel"), ("Tim Cook", "Apple"), ("Andy Jassy", "Amazon"),
                  ("Sam Altman", "OpenAI")]
PRODUCTS = [("Apple", "iPhone"), ("Microsoft", "Windows"), ("Google", "Gmail"), ("OpenAI", "ChatGPT"),
            ("Amazon", "Kindle"), ("Sony", "PlayStation")]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]


def _english(i: int) -> str:
    a, b = COMPANIES[i % len(COMPANIES)], COMPANIES[(i + 3) % len(COMPANIES)]
    person, employer = PEOPLE_COMPANY[i % len(PEOPLE_COMPANY)]
    maker, product = PRODUCTS[i % len(PRODUCTS)]
    month, year = MONTHS_EN[i % 12], 2015 + i % 9
    return (f"{a} and {b} sign a deal\n\n"
            f"{a} partnered with {b} in {month} {year}. "
            f"{person} is the chief executive of {employer}. "
            f"{maker} launched the {product} in {year - 3}.\n")


def _french(i: int) -> str:
    person, employer = PEOPLE_COMPANY[(i + 1) % len(PEOPLE_COMPANY)]
    a, b = COMPANIES[(i + 5) % len(COMPANIES)], COMPANIES[(i + 1) % len(COMPANIES)]
    month, year = MONTHS_FR[i % 12], 2016 + i % 8
    return (f"{person} chez {employer}\n\n"
            f"{person} est le PDG de {employer}. "
            f"{a} a investi dans {b} en {month} {year}.\n")


def write_corpus(folder: Path, count: int = 32, start: int = 0) -> list[Path]:
    """`count` articles (half English .txt, a quarter French .txt, a quarter French in one .jsonl) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    jsonl_lines = []
    for i in range(start, start + count):
        if i % 4 == 3:
            jsonl_lines.append(json.dumps({"id": f"fault-jsonl-{i:03d}", "text": _french(i), "lang": "fr",
                                           "published": f"2024-{i % 12 + 1:02d}-15"}, ensure_ascii=False))
            continue
        path = folder / (f"en-{i:03d}.txt" if i % 2 == 0 else f"fr-{i:03d}.txt")
        path.write_text(_english(i) if i % 2 == 0 else _french(i), encoding="utf-8")
        written.append(path)
    if jsonl_lines:
        path = folder / f"batch-{start:03d}.jsonl"
        path.write_text("\n".join(jsonl_lines) + "\n", encoding="utf-8")
        written.append(path)
    return written
