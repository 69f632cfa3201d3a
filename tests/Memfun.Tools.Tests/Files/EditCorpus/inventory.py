"""A small inventory service: stock levels, reservations and restock planning."""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from typing import Iterable

log = logging.getLogger(__name__)


class InventoryError(Exception):
    """Raised when a reservation or adjustment cannot be honoured."""


@dataclasses.dataclass
class Item:
    sku: str
    name: str
    quantity: int = 0
    reorder_level: int = 5
    reserved: int = 0

    @property
    def available(self) -> int:
        return max(0, self.quantity - self.reserved)

    def needs_restock(self) -> bool:
        return self.available <= self.reorder_level


class Inventory:
    def __init__(self, items: Iterable[Item] = ()):
        self._items: dict[str, Item] = {}
        self._history: dict[str, list[int]] = defaultdict(list)
        for item in items:
            self.add(item)

    def add(self, item: Item) -> None:
        if item.sku in self._items:
            raise InventoryError(f"duplicate sku {item.sku}")
        self._items[item.sku] = item
        self._history[item.sku].append(item.quantity)

    def get(self, sku: str) -> Item:
        try:
            return self._items[sku]
        except KeyError:
            raise InventoryError(f"unknown sku {sku}") from None

    def adjust(self, sku: str, delta: int) -> int:
        item = self.get(sku)
        new_quantity = item.quantity + delta
        if new_quantity < item.reserved:
            raise InventoryError(
                f"cannot reduce {sku} below its reservations ({item.reserved})"
            )
        item.quantity = new_quantity
        self._history[sku].append(new_quantity)
        log.debug("adjusted %s by %d to %d", sku, delta, new_quantity)
        return new_quantity

    def reserve(self, sku: str, amount: int) -> None:
        if amount <= 0:
            raise InventoryError("a reservation must be positive")
        item = self.get(sku)
        if item.available < amount:
            raise InventoryError(
                f"only {item.available} of {sku} available, {amount} requested"
            )
        item.reserved += amount

    def release(self, sku: str, amount: int) -> None:
        item = self.get(sku)
        item.reserved = max(0, item.reserved - amount)

    def restock_plan(self, batch: int = 10) -> dict[str, int]:
        plan: dict[str, int] = {}
        for sku, item in sorted(self._items.items()):
            if not item.needs_restock():
                continue
            shortfall = item.reorder_level - item.available
            batches = shortfall // batch + 1
            plan[sku] = batches * batch
        return plan

    def average_level(self, sku: str) -> float:
        levels = self._history.get(sku)
        if not levels:
            raise InventoryError(f"no history for {sku}")
        return sum(levels) / len(levels)

    def report(self) -> str:
        lines = ["sku       name                 qty  reserved"]
        for item in self._items.values():
            lines.append(
                f"{item.sku:<9} {item.name:<20} {item.quantity:>4} {item.reserved:>9}"
            )
        total = sum(i.quantity for i in self._items.values())
        lines.append(f"total units: {total}")
        return "\n".join(lines)


def load_items(rows: Iterable[dict[str, str]]) -> list[Item]:
    items = []
    for row in rows:
        quantity = int(row.get("quantity", "0") or 0)
        reorder = int(row.get("reorder_level", "5") or 5)
        items.append(Item(row["sku"], row["name"], quantity, reorder))
    return items


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    inv = Inventory(load_items([{"sku": "A1", "name": "bolt", "quantity": "3"}]))
    print(inv.report())
    print(inv.restock_plan())
