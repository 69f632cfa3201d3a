using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Configuration;

/// <summary>
/// The workspace's <c>memfun.toml</c> as a configuration layer, filtered by <see cref="ProjectSettingsPolicy"/>: a key the
/// project may not set never reaches the configuration, so no reader downstream can honour it by mistake.
/// </summary>
/// <param name="path">The file (<c>&lt;workspace&gt;/memfun.toml</c>).</param>
/// <param name="trusted">Whether the user trusts the workspace.</param>
/// <param name="ignored">Receives, once per load, the keys the file set that were dropped (empty when none).</param>
internal sealed class ProjectConfigurationSource(string path, bool trusted, Action<IReadOnlyList<string>> ignored) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) =>
        new Provider(new TomlConfigurationSource(path, optional: true).Build(builder), trusted, ignored);

    private sealed class Provider(IConfigurationProvider file, bool trusted, Action<IReadOnlyList<string>> ignored) : ConfigurationProvider
    {
        public override void Load()
        {
            file.Load();
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var dropped = new List<string>();
            foreach (var key in Keys(null))
            {
                if (!file.TryGet(key, out var value))
                {
                    continue;
                }

                if (ProjectSettingsPolicy.Allows(key, trusted))
                {
                    Data[key] = value;
                }
                else
                {
                    dropped.Add(key);
                }
            }

            ignored(dropped);
        }

        private IEnumerable<string> Keys(string? parent)
        {
            foreach (var child in file.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var key = parent is null ? child : $"{parent}:{child}";
                yield return key;
                foreach (var below in Keys(key))
                {
                    yield return below;
                }
            }
        }
    }
}
