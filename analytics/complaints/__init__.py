"""Complaint texts (no Django): topic suggestions for the supervision app, offline (``topics.py``)."""

from analytics.complaints.topics import Topic, TopicModel, evaluate, load, load_topics, save, suggest, train

__all__ = ["Topic", "TopicModel", "evaluate", "load", "load_topics", "save", "suggest", "train"]
