namespace Warehouse;

/// <summary>An inventory operation that cannot be done, with the reason.</summary>
public sealed class InventoryException(string message) : Exception(message);
