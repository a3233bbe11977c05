"""One module per tab; each `build(ctx)` lays out its components and wires them to library calls."""
