"""The one error of the pure rules: a business rule refused a value.

``code`` names the broken rule and ``params`` fill its message. The messages
themselves are the models' (``models/rule_messages.py``): they are translated
into the user's language, which the pure rules know nothing about. Each rule
module derives its own class, so that a caller can catch the errors of one
kind of rule only.
"""


class RuleError(ValueError):
    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params
