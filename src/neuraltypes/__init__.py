"""neuraltypes: neural types (axes + semantic element types) for PyTorch modules."""
