using Memfun.Tools.CodeMap;
using static Memfun.Tools.Tests.CodeMap.SymbolAssert;

namespace Memfun.Tools.Tests.CodeMap;

public sealed class CSharpExtractorTests
{
    private const string Source = """
        using System;

        namespace Demo.Services;

        /// <summary>Docs.</summary>
        [Serializable]
        public sealed class OrderService<T> : IOrderService, IDisposable where T : class
        {
            public const int MaxItems = 10;
            private readonly int _count;

            public OrderService(ILogger<OrderService<T>> logger) : base() { }

            public string Name { get; private set; } = "";

            [Obsolete]
            public async Task<IReadOnlyList<T>> LoadAsync(
                int id,
                CancellationToken cancellationToken = default)
            {
                return [];
            }

            private static int Helper(int x) => x * 2;

            public event EventHandler? Changed;

            public T this[int index] => default!;

            public static OrderService<T> operator +(OrderService<T> a, OrderService<T> b) => a;

            public void Dispose() { }

            private sealed record Line(int Id, decimal Price);
        }

        public interface IOrderService
        {
            Task<IReadOnlyList<object>> LoadAsync(int id);
        }

        internal enum Status { Open, Closed }

        public delegate void Notify(string message);
        """;

    [Fact]
    public void Types_and_members_are_found_with_lines_and_nesting()
    {
        var symbols = new CSharpExtractor().Extract(Source);

        Assert.Equal(
            new[]
            {
                "0:class:OrderService@7", "1:const:MaxItems@9", "1:constructor:OrderService@12", "1:property:Name@14",
                "1:method:LoadAsync@17", "1:method:Helper@24", "1:event:Changed@26", "1:indexer:this[]@28", "1:operator:operator +@30",
                "1:method:Dispose@32", "1:record:Line@34",
                "0:interface:IOrderService@37", "1:method:LoadAsync@39",
                "0:enum:Status@42", "0:delegate:Notify@44",
            },
            Shape(symbols));
    }

    [Fact]
    public void Signatures_are_complete_without_bodies_or_attributes()
    {
        var symbols = new CSharpExtractor().Extract(Source);

        Assert.Equal("public sealed class OrderService<T> : IOrderService, IDisposable where T : class", Find(symbols, "OrderService").Signature);
        Assert.Equal("public async Task<IReadOnlyList<T>> LoadAsync( int id, CancellationToken cancellationToken = default)", symbols[0].Children[3].Signature);
        Assert.Equal("public string Name { get; }", Find(symbols, "Name").Signature);
        Assert.Equal("private static int Helper(int x)", Find(symbols, "Helper").Signature);
    }

    [Fact]
    public void Visibility_is_recorded_and_interface_members_are_public()
    {
        var symbols = new CSharpExtractor().Extract(Source);

        Assert.True(Find(symbols, "OrderService").IsPublic);
        Assert.False(Find(symbols, "Helper").IsPublic);
        Assert.False(Find(symbols, "Status").IsPublic);
        Assert.True(symbols[1].Children[0].IsPublic);
    }

    [Fact]
    public void Broken_code_still_yields_what_parses()
    {
        var symbols = new CSharpExtractor().Extract("public class A { public void M( { } public int P { get; }");

        Assert.Equal("A", symbols[0].Name);
    }
}
