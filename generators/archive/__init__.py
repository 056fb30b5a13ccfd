"""The archive's generated side: documents kept with an archived batch, the index spreadsheets (台账), and
self-describing BagIt packages (RFC 8493) that can be read, checked and restored years later."""
