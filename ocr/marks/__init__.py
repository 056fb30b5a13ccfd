"""Marks that are not text: signatures, fingerprints and personal seals in a cell; official seals."""
