"""What is read: the ruleset model, the loader that reads ruleset files (safe YAML with
``file:line`` problems), the condition language, and holiday calendars for business days.

Law is data: the statutes are in ``rulesets/``; this layer only knows their shape. It
imports :mod:`breachrules.model` and nothing above it.
"""
