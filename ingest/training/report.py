"""What `kg train` writes beside the weights: `meta.json` (data, settings, valid scores, learning curve)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ingest.training.data import split_ids
from ingest.training.train import TrainConfig, TrainResult, fit, subset


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def learning_curve(train: list, valid: list, config: TrainConfig,
                   progress: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Valid F1 (model only and both) of models trained on 25, 50 and 100 % of the train articles."""
    points = []
    for fraction in (0.25, 0.5, 1.0):
        part = subset(train, replace(config, fraction=fraction, subset=None))
        result = fit(part, valid, replace(config, fraction=fraction), lambda _message: None)
        row = {"fraction": fraction, "train_articles": len(part)}
        for mode, report in result.valid.items():
            row[mode] = report.overall.as_dict()
        points.append(row)
        progress(f"learning curve {fraction:.0%} ({len(part)} articles): valid F1 model "
                 f"{row['model']['f1']:.3f}, both {row['both']['f1']:.3f}")
    return points


def annotations_sha256(root: Path, splits: tuple[str, ...] = ("train", "valid")) -> str:
    """sha256 over the gold annotation files the model learnt from (sorted by id), to name the data exactly."""
    h = hashlib.sha256()
    for split in splits:
        for doc_id in sorted(split_ids(root, split)):
            path = root / "gold" / f"{doc_id}.json"
            if path.exists():
                h.update(doc_id.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def write_meta(result: TrainResult, out: Path, root: Path, config: TrainConfig, seconds: float,
               curve: list[dict[str, Any]] | None = None) -> None:
    meta: dict[str, Any] = {
        "trained": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(seconds),
        "config": asdict(config),
        "settings": asdict(result.model.settings),
        "best_epoch": result.epoch,
        "data": result.data,
        "splits": {"train_ids": len(split_ids(root, "train")), "valid_ids": len(split_ids(root, "valid")),
                   "test_sha256": _sha256(root / "splits" / "test.txt"),
                   "train_valid_annotations_sha256": annotations_sha256(root)},
        "valid": {mode: {"overall": r.overall.as_dict(),
                         "by_language": {k: v.as_dict() for k, v in sorted(r.by_language.items())},
                         "by_predicate": {k: v.as_dict() for k, v in sorted(r.by_predicate.items())}}
                  for mode, r in result.valid.items()},
    }
    if curve is not None:
        meta["learning_curve"] = curve
    result.model.to_disk(out, meta)
