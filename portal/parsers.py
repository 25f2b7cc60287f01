"""The API's request parser (settings REST_FRAMEWORK), in a module of its own: DRF reads
its settings while importing its views, so it cannot live beside the router."""

import codecs
import json
import math
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def finite_float(text: str) -> float:
    """A JSON number with a fraction or an exponent, refused when too large for a float:
    Python reads 1e400 as infinity, which no field stores and an id lookup broke on (a
    500), as it refuses NaN and Infinity written out (strict_constant)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {text[:40]}")
    return value


def lone_surrogate_at(data) -> str | None:
    """Where a parsed JSON body holds a lone surrogate, as a path ("actions[0].title"; ""
    for the body itself), or None. Python's JSON decoder joins an escaped pair into one
    character, so any code point left in U+D800–U+DFFF is half of nothing."""
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                if _LONE_SURROGATE.search(key):  # named escaped: the error quotes it
                    return _LONE_SURROGATE.sub(lambda half: f"\\u{ord(half[0]):04x}", where)
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return None


class JSONParser(parsers.JSONParser):
    """DRF's, refusing what it lets through to a 500.

    JSON may escape a lone surrogate ("\\ud800"): Python decodes it into a str that no
    encoder accepts, so it failed later wherever it went (the database, an error message
    quoting it). Refused here, for every field of every resource at once, as the parse
    error it is; so are a body nested too deeply for the decoder and a number too large
    for a float (finite_float)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:  # DRF's parse, with finite_float
            data = json.load(codecs.getreader(encoding)(stream), parse_constant=strict_constant,
                             parse_float=finite_float)
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        where = lone_surrogate_at(data)
        if where is not None:
            raise ParseError(f"JSON parse error - {where or 'the body'} holds a lone "
                             "surrogate (an unpaired \\ud800–\\udfff escape), which is not "
                             "a character: send text as Unicode characters.")
        return data
