"""The read side's pure core: how events move a case's row, its status and its open terms."""
