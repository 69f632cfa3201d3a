using Memfun.Tools.CodeMap;
using static Memfun.Tools.Tests.CodeMap.SymbolAssert;

namespace Memfun.Tools.Tests.CodeMap;

public sealed class JavaScriptExtractorTests
{
    private const string TypeScript = """
        import { Observable } from "rxjs";

        export interface Repository<T extends Entity> {
          readonly name: string;
          find(id: string): Promise<T | undefined>;
          save?(entity: T): Promise<void>;
        }

        export type Handler = (event: Event) => void;

        export enum Color { Red, Green }

        @Injectable()
        export abstract class BaseService<T> implements Repository<T> {
          private cache = new Map<string, T>();
          static instances = 0;

          constructor(private readonly http: HttpClient) {
            const url = `/api/${this.http.base}/{not a brace}`;
            if (url) { this.go(); }
          }

          async find(id: string): Promise<T | undefined> {
            const re = /\{[a-z]+\}/g;
            return this.cache.get(id);
          }

          protected abstract save(entity: T): Promise<void>;

          get size(): number { return this.cache.size; }

          #secret(): void {}

          handle = async (e: Event): Promise<void> => {
            console.log(e);
          };

          *items<K extends string>(
            keys: K[],
          ): Generator<T> {
            yield* [];
          }
        }

        export const debounce = <F extends (...args: any[]) => void>(fn: F, ms = 100) => {
          let t: any;
          return fn;
        };

        export default function createApp(options: AppOptions = {}): App {
          function hidden() {}
          return new App(options);
        }

        const sum = (a: number, b: number): number => a + b;

        export declare function declared(x: number): string;

        declare module "express" {
          interface Request { user?: User }
        }

        export namespace Utils {
          export function pad(s: string): string { return s; }
        }
        """;

    [Fact]
    public void TypeScript_declarations_are_found_with_members()
    {
        var symbols = new JavaScriptExtractor(typeScript: true).Extract(TypeScript);

        Assert.Equal(
            new[]
            {
                "0:interface:Repository@3", "1:property:name@4", "1:method:find@5", "1:method:save@6",
                "0:type:Handler@9", "0:enum:Color@11",
                "0:class:BaseService@14", "1:constructor:constructor@18", "1:method:find@23", "1:method:save@28",
                "1:property:size@30", "1:method:#secret@32", "1:method:handle@34", "1:method:items@38",
                "0:function:debounce@45", "0:function:createApp@50", "0:function:sum@55", "0:function:declared@57",
                "0:namespace:express@59", "1:interface:Request@60", "0:namespace:Utils@63", "1:function:pad@64",
            },
            Shape(symbols));
    }

    [Fact]
    public void Signatures_stop_before_the_body_and_span_lines()
    {
        var symbols = new JavaScriptExtractor(typeScript: true).Extract(TypeScript);

        Assert.Equal("export abstract class BaseService<T> implements Repository<T>", Find(symbols, "BaseService").Signature);
        Assert.Equal("async find(id: string): Promise<T | undefined>", symbols[3].Children[1].Signature);
        Assert.Equal("*items<K extends string>( keys: K[], ): Generator<T>", Find(symbols, "items").Signature);
        Assert.Equal("export default function createApp(options: AppOptions = {}): App", Find(symbols, "createApp").Signature);
        Assert.Equal("protected abstract save(entity: T): Promise<void>", symbols[3].Children[2].Signature);
    }

    [Fact]
    public void Exports_are_public_and_private_members_are_not()
    {
        var symbols = new JavaScriptExtractor(typeScript: true).Extract(TypeScript);

        Assert.True(Find(symbols, "debounce").IsPublic);
        Assert.False(Find(symbols, "sum").IsPublic);
        Assert.False(Find(symbols, "#secret").IsPublic);
        Assert.False(symbols[3].Children[2].IsPublic);
    }

    [Fact]
    public void CommonJS_and_prototype_assignments_and_wrappers_are_mapped()
    {
        const string js = """
            (function (root, factory) {
              module.exports = factory();
            }(this, function () {
              'use strict';
              function chunk(array, size) {
                var inner = function () {};
                return [];
              }
              exports.map = function map(list, fn) { return list.map(fn); };
              Widget.prototype.render = function (el) {
                return el;
              };
              class Widget extends Base {
                static create() { return new Widget(); }
                render() {
                  if (this.x) { return 1; }
                  for (const y of this.ys) {}
                }
              }
              var template = `class Fake { ${ "{" } }`;
              var onLoad = async function () {};
            }));
            """;

        var symbols = new JavaScriptExtractor(typeScript: false).Extract(js);

        Assert.Equal(
            new[] { "0:function:chunk@5", "0:function:exports.map@9", "0:method:Widget.prototype.render@10", "0:class:Widget@13", "1:method:create@14", "1:method:render@15", "0:function:onLoad@21" },
            Shape(symbols));
    }
}
