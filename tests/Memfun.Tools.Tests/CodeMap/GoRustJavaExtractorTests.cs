using Memfun.Tools.CodeMap;
using static Memfun.Tools.Tests.CodeMap.SymbolAssert;

namespace Memfun.Tools.Tests.CodeMap;

public sealed class GoRustJavaExtractorTests
{
    [Fact]
    public void Go_functions_types_and_methods_attach_to_their_receivers()
    {
        const string go = """
            package server

            // Server serves.
            type Server struct {
                addr string
            }

            type Handler interface {
                ServeHTTP(w ResponseWriter, r *Request)
                close() error
            }

            type ID string

            func New(addr string) *Server {
                s := "func fake() {"
                return &Server{addr: addr}
            }

            func (s *Server) Start(ctx context.Context) (err error) {
                return nil
            }

            func (s Server) stop() {}

            func Map[T any, U any](xs []T, f func(T) U) []U {
                return nil
            }
            """;

        var symbols = new GoExtractor().Extract(go);

        Assert.Equal(
            new[] { "0:struct:Server@4", "1:method:Start@20", "1:method:stop@24", "0:interface:Handler@8", "1:method:ServeHTTP@9", "1:method:close@10", "0:type:ID@13", "0:function:New@15", "0:function:Map@26" },
            Shape(symbols));
        Assert.Equal("func (s *Server) Start(ctx context.Context) (err error)", Find(symbols, "Start").Signature);
        Assert.True(Find(symbols, "Start").IsPublic);
        Assert.False(Find(symbols, "stop").IsPublic);
        Assert.Equal("func Map[T any, U any](xs []T, f func(T) U) []U", Find(symbols, "Map").Signature);
    }

    [Fact]
    public void Rust_items_impl_blocks_traits_and_modules_are_mapped()
    {
        const string rust = """
            use std::fmt;

            #[derive(Debug, Clone)]
            pub struct Point<T> {
                x: T,
            }

            pub enum Shape { Circle(f64), Square(f64) }

            pub trait Area {
                fn area(&self) -> f64;
                fn name(&self) -> String { String::from("shape") }
            }

            impl<T: fmt::Display> fmt::Display for Point<T> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    let brace = '{';
                    write!(f, "({})", self.x)
                }
            }

            impl<T> Point<T> {
                pub const fn new(x: T) -> Self { Point { x } }

                pub async fn load<'a, R>(reader: &'a mut R) -> std::io::Result<Self>
                where
                    R: std::io::Read,
                {
                    todo!()
                }
            }

            pub(crate) mod geometry {
                pub fn distance(a: f64, b: f64) -> f64 { (a - b).abs() }
                fn private_helper() {}
            }

            macro_rules! square {
                ($x:expr) => { $x * $x };
            }

            pub type Result<T> = std::result::Result<T, Error>;
            """;

        var symbols = new RustExtractor().Extract(rust);

        Assert.Equal(
            new[]
            {
                "0:struct:Point@4", "0:enum:Shape@8", "0:trait:Area@10", "1:method:area@11", "1:method:name@12",
                "0:impl:Point<T>@15", "1:method:fmt@16", "0:impl:Point<T>@22", "1:method:new@23", "1:method:load@25",
                "0:module:geometry@33", "1:function:distance@34", "1:function:private_helper@35", "0:macro:square!@38", "0:type:Result@42",
            },
            Shape(symbols));
        Assert.Equal("pub async fn load<'a, R>(reader: &'a mut R) -> std::io::Result<Self> where R: std::io::Read,", Find(symbols, "load").Signature);
        Assert.Equal("impl<T: fmt::Display> fmt::Display for Point<T>", symbols[3].Signature);
        Assert.False(Find(symbols, "private_helper").IsPublic);
        Assert.True(Find(symbols, "distance").IsPublic);
    }

    [Fact]
    public void Java_types_methods_and_constructors_are_mapped()
    {
        const string java = """
            package com.example;

            @Service
            public class OrderService extends Base implements Api {
                private static final String BRACE = "{";
                private final Repo repo;

                @Autowired
                public OrderService(Repo repo) {
                    this.repo = repo;
                }

                @Override
                public <T extends Order> List<T> find(String id,
                                                      int limit) throws IOException {
                    if (id == null) { return List.of(); }
                    return repo.find(id);
                }

                private void helper() { }

                static class Builder {
                    Builder name(String n) { return this; }
                }

                public interface Listener {
                    void onOrder(Order o);
                }
            }

            enum Status { OPEN, CLOSED }

            record Pair<A, B>(A first, B second) {}
            """;

        var symbols = new JavaExtractor().Extract(java);

        Assert.Equal(
            new[]
            {
                "0:class:OrderService@4", "1:constructor:OrderService@9", "1:method:find@14", "1:method:helper@20",
                "1:class:Builder@22", "2:method:name@23", "1:interface:Listener@26", "2:method:onOrder@27",
                "0:enum:Status@31", "0:record:Pair@33",
            },
            Shape(symbols));
        Assert.Equal("public <T extends Order> List<T> find(String id, int limit) throws IOException", Find(symbols, "find").Signature);
        Assert.False(Find(symbols, "helper").IsPublic);
        Assert.True(Find(symbols, "onOrder").IsPublic);
    }
}
