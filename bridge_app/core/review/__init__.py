"""What a reviewer works with (pure core): the terms a contract type needs and their typed
input, and QA findings in the words a lawyer reads."""
