using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Web;
using Closely.Cases;
using Closely.Cases.DpoConsole;
using Closely.Cases.Persistence;

if (ConsoleCommands.TryRun(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebSecurity();  // first in the pipeline: forwarded headers of configured proxies only, security headers on every response
builder.AddCasesServices();

var app = builder.Build();

// Middleware, in this order, after the routing and the console's cookie sign-in that WebApplication puts first:
app.UseRateLimiter();             // sign-in attempts per IP address
app.UseConsoleSecurityHeaders();  // no caching of pages that hold personal data

app.MapDefaultEndpoints();
app.MapCasesConsole();

await app.RunOrMigrateAsync<CasesDbContext>(args);
