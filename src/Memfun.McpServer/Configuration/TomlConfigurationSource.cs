using Memfun.Tools.Workspace;
using Microsoft.Extensions.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace Memfun.McpServer.Configuration;

/// <summary>Reads a <c>memfun.toml</c> file into configuration keys (<c>[llm] model</c> → <c>llm:model</c>).</summary>
internal sealed class TomlConfigurationSource(string path, bool optional) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new TomlConfigurationProvider(path, optional);

    private sealed class TomlConfigurationProvider(string path, bool optional) : ConfigurationProvider
    {
        public override void Load()
        {
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (!File.Exists(path))
            {
                if (!optional)
                {
                    throw new FileNotFoundException($"The configuration file '{path}' does not exist.");
                }

                return;
            }

            TomlTable table;
            try
            {
                // Inside its folder after every link, a regular file, at most 1 MiB: a link to /dev/zero or out of the folder is refused.
                var text = SafeFile.ReadOwnText(Path.GetDirectoryName(Path.GetFullPath(path))!, path) ?? string.Empty;
                table = TomlSerializer.Deserialize<TomlTable>(text)!;
            }
            catch (SafeFileException ex)
            {
                throw new InvalidOperationException($"The configuration file '{path}' is not read: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"The configuration file '{path}' is not valid TOML: {ex.Message}", ex);
            }

            Flatten(table, prefix: null);
        }

        private void Flatten(object? node, string? prefix)
        {
            switch (node)
            {
                case TomlTable t:
                    foreach (var (key, value) in t)
                    {
                        Flatten(value, prefix is null ? key : $"{prefix}:{key}");
                    }

                    break;
                case TomlTableArray ta:
                    for (var i = 0; i < ta.Count; i++)
                    {
                        Flatten(ta[i], $"{prefix}:{i}");
                    }

                    break;
                case TomlArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Flatten(a[i], $"{prefix}:{i}");
                    }

                    break;
                case null:
                    break;
                case bool b:
                    Data[prefix!] = b ? "true" : "false";
                    break;
                case IFormattable f:
                    Data[prefix!] = f.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    Data[prefix!] = node.ToString();
                    break;
            }
        }
    }
}
