namespace Warehouse;

/// <summary>Stock of one SKU: what is on the shelf and how much of it is promised to open orders.</summary>
public sealed class StockItem(string sku, int onHand)
{
    public string Sku { get; } = sku;

    public int OnHand { get; internal set; } = onHand;

    public int Reserved { get; internal set; }

    /// <summary>What can still be promised to new orders.</summary>
    public int Available => OnHand - Reserved;
}
