"""Training the relation classifier from the annotated corpus (`kg train`): `data` reads annotations and labels
mention pairs, `train` fits and selects on valid, `report` writes `meta.json` and the learning curve, `conll04` adds
CoNLL04's English Work_For pairs (optional)."""
