"""Signing in and staying safe: password rules, locks after failed log-ins, two-factor codes,
personal API tokens, and what an organization admin does about a colleague's access."""
