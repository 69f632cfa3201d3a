using Warehouse;

public sealed class InventoryTests
{
    [Test]
    public void ReceiveAddsStock()
    {
        var inventory = new Inventory();
        inventory.Receive("SKU-1", 5);
        inventory.Receive("sku-1", 3);
        Assert.Equal(8, inventory["SKU-1"].OnHand);
    }

    [Test]
    public void ReserveThenShip()
    {
        var inventory = new Inventory();
        inventory.Receive("SKU-1", 5);
        var r = inventory.Reserve("SKU-1", 2, "order-1");
        Assert.Equal(3, inventory["SKU-1"].Available);
        inventory.Ship(r.Id);
        Assert.Equal(3, inventory["SKU-1"].OnHand);
        Assert.Equal(0, inventory["SKU-1"].Reserved);
    }

    [Test]
    public void CannotReserveMoreThanOnHand()
    {
        var inventory = new Inventory();
        inventory.Receive("SKU-1", 1);
        Assert.Throws<InventoryException>(() => inventory.Reserve("SKU-1", 2, "order-1"));
    }

    [Test]
    public void UnknownSkuIsNamed() =>
        Assert.True(Assert.Throws<InventoryException>(() => new Inventory().Reserve("NOPE", 1, "o")).Message.Contains("NOPE"), "message names SKU");

    [Test]
    public void ReleaseMakesUnitsAvailable()
    {
        var inventory = new Inventory();
        inventory.Receive("SKU-1", 4);
        var r = inventory.Reserve("SKU-1", 4, "order-1");
        inventory.Release(r.Id);
        Assert.Equal(4, inventory["SKU-1"].Available);
    }
}
