using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Closely.Stores;

public static class StoresExtensions
{
    public const string RegistryPathKey = "Stores:RegistryPath";

    /// <summary>
    /// Loads and validates the store registry (<c>Stores:RegistryPath</c>, default <c>stores.yaml</c> next
    /// to the service) now, so that a bad registry stops the service at start-up, and registers the
    /// store operations.
    /// </summary>
    public static IHostApplicationBuilder AddStores(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(StoreRegistryLoader.LoadFile(RegistryPath(builder.Configuration)));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StoreConnections>();
        builder.Services.AddSingleton<StoreOperations>();
        return builder;
    }

    public static string RegistryPath(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[RegistryPathKey];
        return string.IsNullOrWhiteSpace(path)
            ? Path.Combine(AppContext.BaseDirectory, "stores.yaml")
            : Path.GetFullPath(path);
    }
}
