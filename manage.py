#!/usr/bin/env python
"""Django's command-line utility for Lockstep."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    from partnership.history.context import command

    with command(sys.argv):  # what a command changes is recorded with door "command"
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
