class SomethingElse:
    """Not a policy: the module does not define AIOSv1PolicyRule."""
