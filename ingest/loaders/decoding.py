"""Bytes to text, sensibly: byte-order marks first, then UTF-8, then UTF-16 without a mark, then Windows-1252.

Binary content (images, PDFs, archives, executables) is refused instead of being read as mojibake."""

from __future__ import annotations

import codecs

from kg.errors import InputError

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = {  # signatures of common binary formats people drop into article folders by mistake
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive", b"\x7fELF": "an executable", b"\xd0\xcf\x11\xe0": "an old Office document",
}
_SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05  # more control characters than this in decoded text means it is not text


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text with no mark shows NUL bytes in every other position (for Latin-script text)."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def sniff_encoding(raw: bytes) -> tuple[str, int]:
    """The encoding of `raw` and the length of its byte-order mark (0 without one); raises InputError on binary."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding, len(bom)
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise InputError(f"is {what}, not text")
    sample = raw[:_SNIFF_BYTES]
    if b"\x00" in sample:
        encoding = _utf16_without_bom(sample)
        if encoding is None:
            raise InputError("looks binary (it holds NUL bytes), not text")
        return encoding, 0
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


def _looks_like_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return controls <= MAX_CONTROL_SHARE * max(len(sample), 1)


def _known_codec(name: str | None) -> str | None:
    """The codec a declared charset names, if Python knows it as a text encoding (not base64, rot13…)."""
    try:
        info = codecs.lookup(name) if name else None
    except LookupError:
        return None
    return info.name if info is not None and getattr(info, "_is_text_encoding", True) else None


def decode_bytes(raw: bytes, declared: str | None = None) -> str:
    """Decode file content; raises InputError (with a reason, no path) when it is not text in a known encoding.

    `declared` is the encoding the content names for itself (an HTML page's charset): it is used when the bytes
    carry no byte-order mark and are not valid UTF-8."""
    encoding, skip = sniff_encoding(raw)
    declared_codec = _known_codec(declared)
    if encoding == "cp1252" and declared_codec and not declared_codec.startswith(("utf-8", "utf-16", "utf-32")):
        encoding = declared_codec
    try:
        text = raw[skip:].decode(encoding)
    except (UnicodeError, ValueError) as exc:
        if encoding == declared_codec:
            return decode_bytes(raw)  # the page's own claim was wrong: decode it as if it made none
        if not isinstance(exc, UnicodeDecodeError):
            raise
        if encoding != "cp1252":
            raise InputError(f"is not valid {encoding} text ({exc.reason} at byte {exc.start}); "
                             "save it as UTF-8") from exc
        text = raw[skip:].decode("latin-1")  # the five bytes cp1252 leaves undefined: read them as Latin-1
    if not _looks_like_text(text):
        raise InputError("looks binary (too many control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")
