"""A fixed-window counter in the cache (Redis), for doors that need a limit per caller and
have no library of their own for it (a password reset per address and per e-mail)."""

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one more use of `key` in its window of `window` seconds (from its first use);
    False once it is past `limit`."""
    key = f"throttle:{key}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def exceeded(key: str, *, limit: int) -> bool:
    """Whether `key` is already past `limit` in its window, without counting a use."""
    return cache.get(f"throttle:{key}", 0) >= limit
