"""Small-count suppression for the statistics tables, so that no person can be singled out.

Every count under ``THRESHOLD`` is hidden and shown as "<5" (primary suppression). Then, so that a
hidden count cannot be worked out from the totals beside it, more cells are hidden (secondary
suppression, shown as "×"): wherever a row or column (with its total) has exactly one hidden
entry, the smallest other cell in it is hidden too, or the total when there is no other cell.
Finally an attacker's interval arithmetic is run over the table (each "<5" is 0–4, each "×" at
least 5, totals exact where shown); any "<5" it can pin to one value gets more protection.
Totals are computed on the true data; a total that would undo the suppression is hidden.
"""

from dataclasses import dataclass, field

THRESHOLD = 5
SMALL = "small"
PROTECT = "protect"
UNBOUNDED = 10**12


@dataclass
class Entry:
    value: int
    hidden: str = ""

    @property
    def shown(self) -> str:
        if self.hidden == SMALL:
            return f"<{THRESHOLD}"
        if self.hidden == PROTECT:
            return "×"
        return str(self.value)

    @property
    def visible(self) -> bool:
        return not self.hidden


@dataclass
class CountTable:
    """Cells ``[row][column]``, with row totals and/or column totals when the table has them."""

    cells: list[list[Entry]]
    row_totals: list[Entry] | None = None
    column_totals: list[Entry] | None = None
    grand_total: Entry | None = None
    lines: list[list[Entry]] = field(default_factory=list, repr=False)


def suppress(values: list[list[int]], *, row_totals: bool, column_totals: bool) -> CountTable:
    """Hide small counts in ``values`` and whatever would let them be recovered."""
    cells = [[Entry(v) for v in row] for row in values]
    width = len(values[0]) if values else 0
    table = CountTable(cells=cells)
    if row_totals:
        table.row_totals = [Entry(sum(row)) for row in values]
    if column_totals:
        table.column_totals = [Entry(sum(row[c] for row in values)) for c in range(width)]
    if row_totals and column_totals:
        table.grand_total = Entry(sum(sum(row) for row in values))
    # Each line is an additive relation: its cells sum to its last entry, the total.
    lines: list[list[Entry]] = []
    if table.row_totals is not None:
        lines += [[*row, total] for row, total in zip(cells, table.row_totals, strict=True)]
    if table.column_totals is not None:
        lines += [[*(row[c] for row in cells), table.column_totals[c]] for c in range(width)]
    if (
        table.grand_total is not None
        and table.column_totals is not None
        and table.row_totals is not None
    ):
        lines.append([*table.column_totals, table.grand_total])
        lines.append([*table.row_totals, table.grand_total])
    table.lines = lines

    everything = [entry for row in cells for entry in row]
    everything += table.row_totals or []
    everything += table.column_totals or []
    everything += [table.grand_total] if table.grand_total else []
    for entry in everything:
        if entry.value < THRESHOLD:
            entry.hidden = SMALL

    smalls = [entry for entry in everything if entry.hidden == SMALL]
    while True:
        _protect_single_hidden(lines)
        # One run of the attacker answers for every "<5" at once (it does not depend on which
        # cell is asked about), so a table of 250 offices × 4 quarters costs a few runs, not
        # one per small cell.
        bounds = attacker_bounds(lines, everything)
        exposed = [entry for entry in smalls if _pinned(bounds, entry)]
        if not exposed:
            return table
        target = exposed[0]
        line = min(
            (line for line in lines if any(e is target for e in line) and _unhidden(line)),
            key=lambda line: len(_unhidden(line)),
            default=None,
        )
        if line is None:
            return table
        _hide_one_more(line)


def _unhidden(line: list[Entry]) -> list[Entry]:
    return [entry for entry in line if entry.visible]


def _hide_one_more(line: list[Entry]) -> None:
    """Hide the smallest visible cell of ``line``; its total only when no cell is left."""
    cells = [entry for entry in line[:-1] if entry.visible]
    if cells:
        min(cells, key=lambda entry: entry.value).hidden = PROTECT
    elif line[-1].visible:
        line[-1].hidden = PROTECT


def _protect_single_hidden(lines: list[list[Entry]]) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for entry in line if entry.hidden) == 1 and _unhidden(line):
                _hide_one_more(line)
                changed = True


def attacker_bounds(lines: list[list[Entry]], entries: list[Entry]) -> dict[int, tuple[int, int]]:
    """What someone reading the table can work out about each hidden entry: (low, high).

    Interval arithmetic over every line (its cells sum to its total), repeated until nothing
    narrows. Within a line the sums of the other entries' bounds are kept as running totals,
    so a line of n entries costs O(n) a round instead of O(n²): a national table has lines of
    a thousand office-quarters.
    """
    bounds: dict[int, tuple[int, int]] = {}
    for entry in entries:
        if entry.hidden == SMALL:
            bounds[id(entry)] = (0, THRESHOLD - 1)
        elif entry.hidden == PROTECT:
            bounds[id(entry)] = (THRESHOLD, UNBOUNDED)
        else:
            bounds[id(entry)] = (entry.value, entry.value)
    for _round in range(100):
        changed = False
        for line in lines:
            *parts, total = line
            if all(entry.visible for entry in line):
                continue
            low_sum = sum(bounds[id(p)][0] for p in parts)
            high_sum = sum(bounds[id(p)][1] for p in parts)
            for entry in line:
                if entry.visible:
                    continue
                old_low, old_high = bounds[id(entry)]
                if entry is total:
                    low, high = low_sum, high_sum
                else:
                    # The others' sums: the line's sums without this entry's own bounds.
                    low = bounds[id(total)][0] - (high_sum - old_high)
                    high = bounds[id(total)][1] - (low_sum - old_low)
                new = (max(old_low, low), min(old_high, high))
                if new != (old_low, old_high) and new[0] <= new[1]:
                    bounds[id(entry)] = new
                    if entry is not total:
                        low_sum += new[0] - old_low
                        high_sum += new[1] - old_high
                    changed = True
        if not changed:
            break
    return bounds


def _pinned(bounds: dict[int, tuple[int, int]], entry: Entry) -> bool:
    low, high = bounds[id(entry)]
    return low == high
