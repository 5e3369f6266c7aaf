using Closely.BuildingBlocks.Persistence;
using Closely.Cases;
using Closely.Cases.DpoConsole;
using Closely.Cases.Persistence;

if (ConsoleCommands.TryRun(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCasesServices();

var app = builder.Build();

// Middleware, in this order, after the routing and the console's cookie sign-in that WebApplication puts first:
app.UseRateLimiter();             // sign-in attempts per IP address
app.UseConsoleSecurityHeaders();  // no caching, framing or referrers of pages that hold personal data

app.MapDefaultEndpoints();
app.MapCasesConsole();

await app.RunOrMigrateAsync<CasesDbContext>(args);
