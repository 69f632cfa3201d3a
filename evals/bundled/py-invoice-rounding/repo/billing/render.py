"""Plain-text rendering of an invoice."""

from .money import format_money


def render_text(invoice, currency="EUR"):
    rows = [f"Invoice {invoice.number}"]
    for line in invoice.lines:
        rows.append(f"  {line.description:<20} {line.quantity:>3} x {line.unit_price:>8}  {format_money(line.amount, currency)}")
    rows.append(f"  Subtotal: {format_money(invoice.subtotal, currency)}")
    if invoice.discount:
        rows.append(f"  Discount: -{format_money(invoice.discount, currency)}")
    rows.append(f"  Tax: {format_money(invoice.tax, currency)}")
    rows.append(f"  Total: {format_money(invoice.total, currency)}")
    return "\n".join(rows)
