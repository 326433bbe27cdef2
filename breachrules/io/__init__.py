"""Documents in and out: the one cattrs converter (:mod:`~breachrules.io.serde`), the
contract's JSON Schemas (:mod:`~breachrules.io.schema`), and importers that turn other
formats (VERIS, STIX, the HHS breach portal) into incident documents.

Nothing here decides anything; it imports only :mod:`breachrules.model`.
"""
