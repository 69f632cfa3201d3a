"""Invoice model: lines, an optional discount and a tax rate."""

from dataclasses import dataclass, field

from .money import round_money


@dataclass
class Line:
    description: str
    quantity: int
    unit_price: str

    @property
    def amount(self):
        return round_money(self.quantity * float(self.unit_price))


@dataclass
class Invoice:
    number: str
    tax_rate: str = "0"
    discount_percent: str = "0"
    lines: list = field(default_factory=list)

    def add(self, description, quantity, unit_price):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.lines.append(Line(description, quantity, str(unit_price)))
        return self

    @property
    def subtotal(self):
        return round_money(sum(line.amount for line in self.lines))

    @property
    def discount(self):
        return round_money(self.subtotal * float(self.discount_percent) / 100)

    @property
    def tax(self):
        return round_money((self.subtotal - self.discount) * float(self.tax_rate))

    @property
    def total(self):
        return round_money(self.subtotal - self.discount + self.tax)
