"""Voice: the Xiao Ai bridge (conversation agent sentences, numerals, responses, skill)."""
