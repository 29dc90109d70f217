"""Briefing packs: one topic in, a structured handout of cited quotes out (model.py the
contract, build.py the builder, topics.py the questions as data, aids.py the study aids)."""
