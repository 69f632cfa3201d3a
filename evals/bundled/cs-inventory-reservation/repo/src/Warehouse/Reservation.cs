namespace Warehouse;

/// <summary>A quantity of a SKU held for an order until it ships or is cancelled.</summary>
public sealed record Reservation(Guid Id, string Sku, int Quantity, string OrderId);
