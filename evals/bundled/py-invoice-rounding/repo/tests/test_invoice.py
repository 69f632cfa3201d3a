import unittest

from billing import Invoice, render_text


class InvoiceTotalsTests(unittest.TestCase):
    def test_subtotal_sums_lines(self):
        inv = Invoice("A-1").add("Widget", 2, "3.50").add("Gadget", 1, "10.00")
        self.assertEqual(inv.subtotal, 17.0)

    def test_discount_and_tax(self):
        inv = Invoice("A-2", tax_rate="0.2", discount_percent="10").add("Service", 1, "100.00")
        self.assertEqual(inv.discount, 10.0)
        self.assertEqual(inv.tax, 18.0)
        self.assertEqual(inv.total, 108.0)

    def test_rejects_non_positive_quantity(self):
        with self.assertRaises(ValueError):
            Invoice("A-3").add("Nothing", 0, "1.00")


class RenderTests(unittest.TestCase):
    def test_render_lists_lines_and_total(self):
        inv = Invoice("A-4", tax_rate="0.1").add("Widget", 2, "5.00")
        text = render_text(inv)
        self.assertIn("Invoice A-4", text)
        self.assertIn("Total: 11.00 EUR", text)
