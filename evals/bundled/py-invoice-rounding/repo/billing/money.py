"""Money helpers shared by the invoice and the renderer."""


def round_money(amount):
    """Round an amount to whole cents."""
    return round(float(amount), 2)


def format_money(amount, currency="EUR"):
    """Format an amount with two decimals and the currency code."""
    return f"{round_money(amount):,.2f} {currency}"
