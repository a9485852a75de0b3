"""The `kg` command line (Typer). Packages built on the core add their commands through the
`kg.commands` entry-point group, so the core never imports them."""
