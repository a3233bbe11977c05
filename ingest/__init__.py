"""PDF/TXT/MD → pages → clean text → chunks → the embedded index (through ikc.index)."""
