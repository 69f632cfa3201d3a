namespace Warehouse;

/// <summary>Stock levels and reservations. Not thread-safe.</summary>
public sealed class Inventory
{
    private readonly Dictionary<string, StockItem> _items = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, Reservation> _reservations = [];

    public StockItem this[string sku] =>
        _items.TryGetValue(sku, out var item) ? item : throw new InventoryException($"unknown SKU '{sku}'");

    public void Receive(string sku, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        if (_items.TryGetValue(sku, out var item))
        {
            item.OnHand += quantity;
        }
        else
        {
            _items[sku] = new StockItem(sku, quantity);
        }
    }

    /// <summary>Holds <paramref name="quantity"/> units for an order; fails when not enough are available.</summary>
    public Reservation Reserve(string sku, int quantity, string orderId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var item = this[sku];
        if (quantity > item.OnHand)
        {
            throw new InventoryException($"cannot reserve {quantity} of {sku}: {item.OnHand} on hand");
        }
        item.Reserved += quantity;
        var reservation = new Reservation(Guid.NewGuid(), item.Sku, quantity, orderId);
        _reservations[reservation.Id] = reservation;
        return reservation;
    }

    /// <summary>Cancels a reservation: its units become available again.</summary>
    public void Release(Guid reservationId)
    {
        var reservation = _reservations[reservationId];
        this[reservation.Sku].Reserved -= reservation.Quantity;
    }

    /// <summary>Ships a reservation: its units leave the shelf.</summary>
    public void Ship(Guid reservationId)
    {
        if (!_reservations.Remove(reservationId, out var reservation))
        {
            throw new InventoryException($"no open reservation {reservationId}");
        }
        var item = this[reservation.Sku];
        item.Reserved -= reservation.Quantity;
        item.OnHand -= reservation.Quantity;
    }

    public IEnumerable<Reservation> OpenReservations(string orderId) =>
        _reservations.Values.Where(r => r.OrderId == orderId);
}
