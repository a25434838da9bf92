"""Bounded integer parameters for the JSON API: a value the database cannot hold (an id of
10**25, an offset of 1e25) is a 422 from validation instead of an overflow deep in a query."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# offset / limit: the operation clamps them to its page size; here they only stay in range.
PageNumber = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
