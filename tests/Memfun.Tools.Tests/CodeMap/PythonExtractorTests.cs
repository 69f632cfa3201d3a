using Memfun.Tools.CodeMap;
using static Memfun.Tools.Tests.CodeMap.SymbolAssert;

namespace Memfun.Tools.Tests.CodeMap;

public sealed class PythonExtractorTests
{
    private const string Source = """"
        import asyncio


        class Repository(Base, metaclass=Meta):
            '''Stores things.

            class NotAClass:  (inside a docstring)
            '''

            def __init__(self, path: str) -> None:
                self.path = path

                def inner():
                    pass

            @property
            def name(self) -> str:
                return "x"

            @staticmethod
            @cache
            async def fetch(
                key: str,
                default: int | None = None,
            ) -> dict[str, int]:
                text = """
        def fake():
        """
                return {}

            def _private(self):
                pass

            class Inner:
                def deep(self): ...


        def top_level(a, *args, **kwargs):
            pass


        async def main() -> None:
            await asyncio.sleep(1)


        def _helper[T](x: T) -> T:
            return x
        """";

    [Fact]
    public void Classes_methods_and_functions_nest_by_indentation()
    {
        var symbols = new PythonExtractor().Extract(Source);

        Assert.Equal(
            new[]
            {
                "0:class:Repository@4", "1:constructor:__init__@10", "1:method:name@17", "1:method:fetch@22", "1:method:_private@31",
                "1:class:Inner@34", "2:method:deep@35",
                "0:function:top_level@38", "0:function:main@42", "0:function:_helper@46",
            },
            Shape(symbols));
    }

    [Fact]
    public void Signatures_keep_decorators_multi_line_parameters_and_return_annotations()
    {
        var symbols = new PythonExtractor().Extract(Source);

        Assert.Equal("@staticmethod @cache async def fetch( key: str, default: int | None = None, ) -> dict[str, int]", Find(symbols, "fetch").Signature);
        Assert.Equal("@property def name(self) -> str", Find(symbols, "name").Signature);
        Assert.Equal("class Repository(Base, metaclass=Meta)", Find(symbols, "Repository").Signature);
        Assert.Equal("def _helper[T](x: T) -> T", Find(symbols, "_helper").Signature);
    }

    [Fact]
    public void Leading_underscores_are_private_and_dunders_public()
    {
        var symbols = new PythonExtractor().Extract(Source);

        Assert.False(Find(symbols, "_private").IsPublic);
        Assert.False(Find(symbols, "_helper").IsPublic);
        Assert.True(Find(symbols, "__init__").IsPublic);
        Assert.True(Find(symbols, "top_level").IsPublic);
    }
}
