"""Field readers: turn a cell's or a line's OCR text into the normalised value the contract holds
(ISO dates, 11-digit phones, checked ID numbers, catalogue professions) and say when they could not."""
