using Closely.Cases.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The audit endpoints on a route group of the test's own (<see cref="Prefix"/>), ahead of the service's own pipeline:
/// in the service they live behind the console's sign-in. Anything else falls through to the service.
/// </summary>
public sealed class AuditRoutes : IStartupFilter
{
    public const string Prefix = "/audit-under-test";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, AuditRoutes>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapGroup(Prefix).MapCaseAuditEndpoints());
        next(app);
    };
}
