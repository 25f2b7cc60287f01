"""The discussion of a record: comments with mentions, and the files posted with them, on
every kind of record that registers for one (partnership.discussion.kinds)."""
