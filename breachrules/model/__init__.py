"""What flows through breachrules: the facts of an incident, the decisions about it, and
the contract's word lists.

The bottom layer: it imports nothing else of breachrules but :mod:`breachrules.errors`.
Its data classes offer convenience methods (``to_dict``, ``plan``, ``_repr_html_``) whose
work is done by the layers above, bound in through :mod:`breachrules.model.bindings`.
"""
